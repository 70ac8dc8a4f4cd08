import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import type { HttpHandler } from '#functions/lib/http-route.ts';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import { invoke, type TwilioEventOptions, twilioEvent } from '../integration/intake/twilio-events.ts';
import type { startInbox } from './inbox.ts';
import { testPlatform } from './services.ts';

export const SMS_ROUTE = 'POST /webhooks/twilio/sms';
export const SMS_PATH = '/webhooks/twilio/sms';
export const newMessageSid = (prefix = 'SM') => `${prefix}${randomBytes(16).toString('hex')}`;
/** A random Iraqi mobile number, so that tests sharing one table rarely share a number's item. */
export const newIraqiPhone = () => `+96477${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;

/**
 * The set-up the SMS webhook's integration tests share: a platform on DynamoDB Local with the inbox worker on the
 * table stream (started before the file's tests, stopped after them with nothing dead-lettered), and texts posted to
 * `handler` as Twilio posts them, signed with the platform's auth token. The inbox module is imported when the
 * tests start, so a file can set the log level before the worker's logger is made. `now` sets the platform's clock.
 */
export function smsWebhookTests(handler: HttpHandler, options: { now?: () => Date } = {}) {
  let platform: Platform | undefined;
  let inbox: ReturnType<typeof startInbox> | undefined;
  beforeAll(async () => {
    platform = await testPlatform(options);
    usePlatform(platform);
    const support = await import('./inbox.ts');
    inbox = support.startInbox(platform);
  });
  afterAll(async () => {
    await inbox?.stop();
    expect(inbox?.deadLettered).toEqual([]);
  });
  const ready = () => {
    if (!platform || !inbox) throw new Error('smsWebhookTests: used before its beforeAll ran');
    return { platform, inbox };
  };
  return {
    get platform() {
      return ready().platform;
    },
    get inbox() {
      return ready().inbox;
    },
    /** The form fields Twilio posts for an inbound SMS from `from`, with a fresh MessageSid. */
    params: (from: string, body: string, extra: Record<string, string> = {}) => ({
      MessageSid: newMessageSid(),
      AccountSid: ready().platform.twilio.accountSid,
      From: from,
      To: ready().platform.twilio.messagingFrom,
      Body: body,
      NumMedia: '0',
      ApiVersion: '2010-04-01',
      ...extra,
    }),
    /** Posts the fields to the webhook, signed as Twilio signs them, and returns the handler's answer. */
    post: (params: Record<string, string>, extra: Partial<TwilioEventOptions> = {}) =>
      invoke(
        handler,
        twilioEvent(ready().platform, { routeKey: SMS_ROUTE, path: SMS_PATH, params, ...extra }),
      ),
  };
}
