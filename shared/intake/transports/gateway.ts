/**
 * The local SMS gateway transport, in the format of "SMS Gateway for Android" (capcom6/android-sms-gateway, the
 * open-source relay app; its Cloud and Private servers speak the same): an Android phone with an Iraqi SIM, or an
 * aggregator that speaks that format, posts each event to the platform's webhook as JSON
 * `{ id, event, deviceId, webhookId, payload }`, signed with `X-Signature` (hex HMAC-SHA256, under the shared signing
 * key, of the raw body followed by the `X-Timestamp` value, Unix seconds). Replies and loop-closure messages go out
 * through its send API (see gateway-outbox.ts).
 *
 * The event's `id` keys every write. The payload's own `messageId` is derived from the text by the app and is not
 * unique (two people sending "1" can share it), so it is never used as a key; a redelivery of the same event keeps
 * its `id`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import type { InboundMessage } from '../message-reading.ts';

/** How far `X-Timestamp` may be from the platform's clock (the app's own documentation suggests ±5 minutes). */
export const GATEWAY_REPLAY_WINDOW_SECONDS = 300;
/** A webhook body is a few hundred bytes; anything past this is not the relay's. */
export const GATEWAY_BODY_LIMIT = 16 * 1024;

/** The hex HMAC-SHA256 the relay sends in `X-Signature`: over the raw body, then the timestamp. */
export const gatewaySignature = (signingKey: string, rawBody: string, timestamp: string): string =>
  createHmac('sha256', signingKey)
    .update(rawBody + timestamp)
    .digest('hex');

/** Whether `signature` is the relay's signature of `rawBody` at `timestamp`, compared in constant time. */
export function isGatewaySignatureValid(
  signingKey: string,
  rawBody: string,
  timestamp: string,
  signature: string,
): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  const expected = Buffer.from(gatewaySignature(signingKey, rawBody, timestamp), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

/** Whether a timestamp (Unix seconds, as text) is within the replay window of `now`. */
export function isWithinReplayWindow(timestamp: string, now: Date): boolean {
  if (!/^[0-9]{1,12}$/.test(timestamp)) return false;
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) <= GATEWAY_REPLAY_WINDOW_SECONDS;
}

/**
 * The sender as E.164. Android reports the number as the network gave it: international (`+9647701234567`,
 * `009647701234567`) or, on Iraqi networks, national (`07701234567`, an Iraqi mobile number). Anything else (a
 * short code, an operator's alphanumeric sender) is not a number the platform can answer or recognise again.
 */
export function gatewaySenderE164(phoneNumber: string): string | undefined {
  const compact = phoneNumber.replace(/[\s\-().]/g, '');
  if (/^\+[1-9][0-9]{6,14}$/.test(compact)) return compact;
  if (/^00[1-9][0-9]{6,14}$/.test(compact)) return `+${compact.slice(2)}`;
  if (/^07[0-9]{9}$/.test(compact)) return `+964${compact.slice(1)}`;
  return undefined;
}

const EventId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be the relay event id');
const Timestamp = z.string().max(40);
const SimNumber = z.number().int().min(1).max(3).nullable().optional();

const Received = z.object({
  event: z.literal('sms:received'),
  id: EventId,
  deviceId: z.string().max(64).optional(),
  webhookId: z.string().max(64).optional(),
  payload: z.object({
    messageId: z.string().max(64).optional(),
    // The relay joins a long message's parts; 1,600 characters is as much as the Twilio path takes.
    message: z.string().max(1600),
    phoneNumber: z.string().min(1).max(32),
    simNumber: SimNumber,
    receivedAt: Timestamp.optional(),
  }),
});

const Outcome = (event: 'sms:sent' | 'sms:delivered' | 'sms:failed') =>
  z.object({
    event: z.literal(event),
    id: EventId,
    deviceId: z.string().max(64).optional(),
    webhookId: z.string().max(64).optional(),
    payload: z.object({
      /** The id the platform gave the message when it asked the relay to send it. */
      messageId: z.string().min(1).max(64),
      phoneNumber: z.string().max(32).optional(),
      simNumber: SimNumber,
      sentAt: Timestamp.optional(),
      deliveredAt: Timestamp.optional(),
      failedAt: Timestamp.optional(),
      reason: z.string().max(200).optional(),
    }),
  });

const Ping = z.object({
  event: z.literal('system:ping'),
  id: EventId,
  deviceId: z.string().max(64).optional(),
  webhookId: z.string().max(64).optional(),
  payload: z.unknown().optional(),
});

/** Every event the relay posts that the platform takes; any other `event` is refused (400). */
export const GatewayEvent = z.discriminatedUnion('event', [
  Received,
  Outcome('sms:sent'),
  Outcome('sms:delivered'),
  Outcome('sms:failed'),
  Ping,
]);
export type GatewayEvent = z.output<typeof GatewayEvent>;
export type GatewayReceived = z.output<typeof Received>;

/** The platform's message id for a relayed SMS: its event id, marked so it can never meet a Twilio SID. */
export const gatewayMessageId = (eventId: string): string => `GW${eventId}`;

/**
 * A received SMS as the transport-neutral message, or undefined when the sender is not a number (see
 * {@link gatewaySenderE164}). `to` is the platform's number on that relay (the SIM's number is not in the payload).
 */
export function gatewayInbound(event: GatewayReceived, to: string): InboundMessage | undefined {
  const from = gatewaySenderE164(event.payload.phoneNumber);
  if (!from) return undefined;
  return {
    transport: 'gateway',
    messageId: gatewayMessageId(event.id),
    from,
    to,
    body: event.payload.message,
    media: [],
  };
}
