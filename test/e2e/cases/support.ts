import { inject } from 'vitest';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';

/** A fresh Iraqi mobile number for one test, so its cases and outbox entries are its own. */
export const freshPhone = (): string => `+9647${String(Math.floor(1e8 + Math.random() * 8.9e8))}`;

/** Posts an inbound SMS as Twilio would, through the phone simulator: form-encoded and signed. */
export async function inboundSms(from: string, body: string) {
  const baseUrl = inject('baseUrl');
  const res = await sendSms(
    {
      url: baseUrl,
      publicBaseUrl: baseUrl,
      authToken: inject('twilioAuthToken'),
      accountSid: `AC${'0'.repeat(31)}1`,
    },
    { from, to: '+9647000000000', body },
  );
  return { status: res.status, text: res.twiml };
}

export const REFERENCE = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;
