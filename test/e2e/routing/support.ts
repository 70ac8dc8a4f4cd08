import { inject } from 'vitest';
import { LOCAL_TWILIO } from '#local/stack.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import { api, devToken, eventually, settle } from '../../support/http.ts';

const REFERENCE = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;

/** A fresh Iraqi mobile number, so a test never threads onto another test's waiting case. */
export const newPhone = (): string => `+96477${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;

/** Posts an inbound SMS exactly as Twilio would, through the phone simulator: form-encoded and signed. */
export async function postSms(body: string, from = newPhone(), to: string = LOCAL_TWILIO.messagingFrom) {
  const baseUrl = inject('baseUrl');
  const res = await sendSms(
    {
      url: baseUrl,
      publicBaseUrl: baseUrl,
      authToken: inject('twilioAuthToken'),
      accountSid: LOCAL_TWILIO.accountSid,
    },
    { from, to, body },
  );
  return { status: res.status, text: res.twiml, from, reference: REFERENCE.exec(res.twiml)?.[0] };
}

export interface InboxEntry {
  focalPointId: string;
  message: { reference?: string; eventType?: string; [key: string]: unknown };
  attributes: Record<string, string>;
}

/** Every focal-point notification in the local inbox. */
export async function inbox(): Promise<InboxEntry[]> {
  const res = await api('GET', '/dev/inbox', { token: await devToken() });
  return (res.json() as { notifications: InboxEntry[] }).notifications;
}

/** The inbox entries about one case, once at least `count` have arrived (and the stream consumers are idle). */
export async function notificationsFor(
  reference: string,
  count = 1,
  timeoutMs = 90_000,
): Promise<InboxEntry[]> {
  return eventually(async () => {
    await settle();
    const found = (await inbox()).filter((e) => e.message.reference === reference);
    return found.length >= count ? found : undefined;
  }, timeoutMs);
}
