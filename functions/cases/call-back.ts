/**
 * Closing the loop with a hotline caller by an automated outbound call: the outcome read out in the caller's
 * language, then the case is closed with `loopClosedBy: call`. Twilio has no Kurdish voice, so Sorani and
 * Kurmanji callers are called back by an operator instead (logged as a `close` with `loopClosedBy: call`).
 */

import type { Platform } from '#functions/lib/platform.ts';
import { placeCall } from '#functions/lib/twilio.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { ConflictError } from '#shared/errors/domain-error.ts';
import { isOptedOut } from '#shared/intake/opt-out.ts';
import { recordOutbound } from '#shared/intake/outbound-index.ts';
import { outcomeText } from '#shared/messages/templates.ts';

const VOICES = {
  ar: {
    language: 'ar-AE',
    text: (ref: string, said: string) => `مرحباً. نتصل بخصوص طلبك رقم ${ref}. ${said}. شكراً لتواصلك معنا.`,
  },
  en: {
    language: 'en-GB',
    text: (ref: string, said: string) =>
      `Hello. This is a call about your case ${ref}. ${said}. Thank you for contacting us.`,
  },
} as const;

/** Reads a reference symbol by symbol, as the IVR does. */
const spelled = (ref: string) => ref.replace('-', '').split('').join(' ');

/** Places the call; returns its SID. A case that cannot be called this way is a 409 naming why. */
export async function callComplainant(platform: Platform, c: Case): Promise<string> {
  const cannot = (why: string) => new ConflictError('CASE.CANNOT_CALL', why);
  if (c.status !== 'resolved') throw cannot('Only a resolved case is closed with a call.');
  if (!c.consentToFollowUp || !c.contact.phoneCipher || !c.contact.phoneHash || c.redactedAt) {
    throw cannot('The caller did not consent to be contacted or left no number.');
  }
  if (c.sensitivity === 'S3') throw cannot('The PSEA focal point closes the loop on this case in person.');
  if (c.language !== 'ar' && c.language !== 'en')
    throw cannot('No voice in this language: call the person yourself.');
  if (await isOptedOut(platform.db, platform.tableName, c.contact.phoneHash))
    throw cannot('The number opted out.');
  const voice = VOICES[c.language];
  const said = outcomeText(c.outcome ?? '', c.language) ?? '';
  const { default: VoiceResponse } = await import('twilio/lib/twiml/VoiceResponse.js');
  const twiml = new VoiceResponse();
  twiml.say({ language: voice.language }, voice.text(spelled(c.reference), said));
  const call = await placeCall(platform, {
    to: platform.protector.decrypt(c.contact.phoneCipher),
    twiml: twiml.toString(),
    statusCallback: `${platform.publicBaseUrl.replace(/\/$/, '')}/webhooks/twilio/status`,
  });
  await recordOutbound(platform.db, platform.tableName, {
    sid: call.sid,
    caseId: c.caseId,
    at: platform.now(),
  });
  return call.sid;
}
