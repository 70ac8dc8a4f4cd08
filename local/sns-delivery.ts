/**
 * What SNS gives a subscriber for a message published with MessageStructure "json" (one text per protocol), which
 * the emulator does not do: it passes the whole structure through. The local stack applies SNS's rule where a
 * subscriber reads: a queue gets the `sqs` text, else `default`; an inbox (standing in for an e-mail address or a
 * phone) keeps `default` and shows what the e-mail and the SMS would say beside it.
 */

import { perProtocolTexts } from '#shared/messaging/sns.ts';

/**
 * An SQS subscriber's message as SNS delivers it. The emulator passes a MessageStructure "json" message through
 * whole; SNS gives a queue the `sqs` text, else `default`, in the envelope or raw. Nothing else is changed.
 */
export function asDeliveredToQueue(body: string): string {
  const raw = perProtocolTexts(body);
  if (raw) return raw.sqs ?? (raw.default as string);
  try {
    const envelope = JSON.parse(body) as { Type?: string; Message?: unknown };
    if (envelope.Type !== 'Notification' || typeof envelope.Message !== 'string') return body;
    const structured = perProtocolTexts(envelope.Message);
    return structured ? JSON.stringify({ ...envelope, Message: structured.sqs ?? structured.default }) : body;
  } catch {
    return body;
  }
}
