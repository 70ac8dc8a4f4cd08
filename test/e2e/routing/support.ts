import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { inject } from 'vitest';
import { LOCAL_TWILIO } from '#local/stack.ts';
import { api, eventually, settle } from '../../support/http.ts';

const REFERENCE = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;

/** A fresh Iraqi mobile number, so a test never threads onto another test's waiting case. */
export const newPhone = (): string => `+96477${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;

/** Posts an inbound SMS exactly as Twilio would: form-encoded and signed over the public URL. */
export async function postSms(body: string, from = newPhone()) {
  const url = `${inject('baseUrl')}/webhooks/twilio/sms`;
  const params = {
    MessageSid: `SM${randomBytes(16).toString('hex')}`,
    AccountSid: LOCAL_TWILIO.accountSid,
    From: from,
    To: LOCAL_TWILIO.messagingFrom,
    Body: body,
    NumMedia: '0',
  };
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': getExpectedTwilioSignature(inject('twilioAuthToken'), url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  const text = await res.text();
  return { status: res.status, text, from, reference: REFERENCE.exec(text)?.[0] };
}

export interface InboxEntry {
  focalPointId: string;
  message: { reference?: string; eventType?: string; [key: string]: unknown };
  attributes: Record<string, string>;
}

/** Every focal-point notification in the local inbox. */
export async function inbox(): Promise<InboxEntry[]> {
  const res = await api('GET', '/dev/inbox');
  return (res.json() as { notifications: InboxEntry[] }).notifications;
}

/** The inbox entries about one case, once at least `count` have arrived (and the stream consumers are idle). */
export async function notificationsFor(
  reference: string,
  count = 1,
  timeoutMs = 30_000,
): Promise<InboxEntry[]> {
  return eventually(async () => {
    await settle();
    const found = (await inbox()).filter((e) => e.message.reference === reference);
    return found.length >= count ? found : undefined;
  }, timeoutMs);
}
