/**
 * The SMS and WhatsApp side of the phone simulator: one inbound message, signed as Twilio signs it, and the reply
 * read back.
 */

import { errorCode, newSid, postSigned, type SimTarget } from './twilio-sim.ts';
import { childElements, parseXml, textOf } from './xml.ts';

export const SMS_PATH = '/webhooks/twilio/sms';

export interface SmsToSend {
  from: string;
  to: string;
  body: string;
  /** Reuse a MessageSid to play Twilio's retry of the same message. */
  messageSid?: string;
  mediaUrls?: string[];
  /** Sent on WhatsApp: Twilio posts it to the same webhook with both addresses prefixed `whatsapp:`. */
  whatsapp?: boolean;
}

export interface SmsOutcome {
  status: number;
  messageSid: string;
  /** The texts of the `<Message>` elements (none when the platform answered an empty `<Response/>`). */
  replies: string[];
  twiml: string;
  /** The stable error code when the answer was not 2xx. */
  error?: string;
}

/** The form Twilio posts for an inbound message. */
export function inboundSmsParams(
  sms: SmsToSend,
  accountSid: string,
  messageSid: string,
): Record<string, string> {
  const media = sms.mediaUrls ?? [];
  const mediaFields = Object.fromEntries(
    media.flatMap((url, i) => [
      [`MediaUrl${i}`, url],
      [`MediaContentType${i}`, 'image/jpeg'],
    ]),
  );
  if (sms.whatsapp) {
    // WhatsApp's form: the same core fields, addresses prefixed, plus the person's WhatsApp id and profile name.
    return {
      SmsMessageSid: messageSid,
      NumMedia: String(media.length),
      ProfileName: 'Local tester',
      MessageType: media.length ? 'image' : 'text',
      SmsSid: messageSid,
      WaId: sms.from.replace(/^\+/, ''),
      SmsStatus: 'received',
      Body: sms.body,
      To: `whatsapp:${sms.to}`,
      NumSegments: '1',
      ReferralNumMedia: '0',
      MessageSid: messageSid,
      AccountSid: accountSid,
      From: `whatsapp:${sms.from}`,
      ApiVersion: '2010-04-01',
      ...mediaFields,
    };
  }
  return {
    ToCountry: 'IQ',
    ToState: '',
    SmsMessageSid: messageSid,
    NumMedia: String(media.length),
    ToCity: '',
    FromZip: '',
    SmsSid: messageSid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: sms.body,
    FromCountry: sms.from.startsWith('+964') ? 'IQ' : '',
    To: sms.to,
    ToZip: '',
    NumSegments: '1',
    MessageSid: messageSid,
    AccountSid: accountSid,
    From: sms.from,
    ApiVersion: '2010-04-01',
    ...mediaFields,
  };
}

/** Sends one SMS to the platform and reads the TwiML reply. */
export async function sendSms(target: SimTarget, sms: SmsToSend): Promise<SmsOutcome> {
  const messageSid = sms.messageSid ?? newSid(sms.mediaUrls?.length ? 'MM' : 'SM');
  const res = await postSigned(target, SMS_PATH, inboundSmsParams(sms, target.accountSid, messageSid));
  if (res.status < 200 || res.status >= 300) {
    return { status: res.status, messageSid, replies: [], twiml: res.body, error: errorCode(res) };
  }
  const root = parseXml(res.body);
  if (root.name !== 'Response') throw new Error(`the answer is not TwiML: <${root.name}>`);
  const replies = childElements(root)
    .filter((el) => el.name === 'Message')
    .map((el) => {
      const body = childElements(el).find((c) => c.name === 'Body');
      return textOf(body ?? el).trim();
    });
  return { status: res.status, messageSid, replies, twiml: res.body };
}
