import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { inject } from 'vitest';
import { api } from '../../support/http.ts';

/** A fresh Iraqi mobile number for one test, so its cases and outbox entries are its own. */
export const freshPhone = (): string => `+9647${String(Math.floor(1e8 + Math.random() * 8.9e8))}`;

/** Posts an inbound SMS as Twilio would: form-encoded and signed over the public URL with the auth token. */
export async function inboundSms(from: string, body: string) {
  const url = `${inject('baseUrl')}/webhooks/twilio/sms`;
  const params: Record<string, string> = {
    AccountSid: `AC${'0'.repeat(31)}1`,
    MessageSid: `SM${randomBytes(16).toString('hex')}`,
    SmsSid: '',
    From: from,
    To: '+9647000000000',
    Body: body,
    NumMedia: '0',
  };
  params.SmsSid = params.MessageSid as string;
  const signature = getExpectedTwilioSignature(inject('twilioAuthToken'), url, params);
  return api('POST', '/webhooks/twilio/sms', { form: params, headers: { 'x-twilio-signature': signature } });
}

export const REFERENCE = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;
