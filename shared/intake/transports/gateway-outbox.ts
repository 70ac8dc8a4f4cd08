/**
 * Messages waiting to go out through the local SMS gateway: one item each (pk `GWOUT#<id>`, sk `GWOUT`), written
 * before anything is sent, so a reply is never lost between the webhook and the relay. The gateway sender
 * (functions/gateway-outbox) reads new items from the table stream and asks the relay's send API to send them; a
 * failed request is retried by the stream (bounded, then the consumer's DLQ). The relay's `sms:sent`,
 * `sms:delivered` and `sms:failed` webhooks then move the item's `state` and are recorded on the case.
 *
 * The id is derived from what the message answers (an inbound event, a case event), so a retried webhook or a
 * redelivered notification finds its message already queued and queues nothing twice. The relay is given the same
 * id, so it, too, sends a message once.
 *
 * The recipient's number is kept encrypted, as everywhere in the table.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ConditionFailedError } from '../../errors/aws-errors.ts';
import type { DynamoDb } from '../../store/dynamodb.ts';
import { tableDefinition } from '../../store/table-definition.ts';

export const GATEWAY_OUT_PREFIX = 'GWOUT#';
export const gatewayOutKey = (id: string) => ({ pk: `${GATEWAY_OUT_PREFIX}${id}`, sk: 'GWOUT' });
/** Items stay a month for the console and delivery reports, then expire. */
const KEPT_DAYS = 30;

export const GATEWAY_OUT_STATES = ['queued', 'sent', 'delivered', 'failed'] as const;

export const GatewayOutItem = z.object({
  id: z.string().min(1).max(64),
  /** The recipient, encrypted by the PersonalDataProtector. */
  phone: z.string().min(1),
  text: z.string().min(1).max(1600),
  /** What the message is: the answer to an inbound message, or a notifier template. */
  purpose: z.enum(['reply', 'resolved', 'closed_no_answer']),
  caseId: z.string().optional(),
  state: z.enum(GATEWAY_OUT_STATES),
  queuedAt: z.string(),
  /** Send requests made so far. */
  attempts: z.number().int().min(0).default(0),
  /** When the relay accepted the request, and its answer's state. */
  acceptedAt: z.string().optional(),
  stateAt: z.string().optional(),
  reason: z.string().max(200).optional(),
});
export type GatewayOutItem = z.infer<typeof GatewayOutItem>;

/** An id the relay accepts (letters, digits, `-`, `_`; short), stable for the same `key`. */
export const gatewayOutId = (key: string): string =>
  `cfm-${createHash('sha256').update(key).digest('base64url').slice(0, 24)}`;

export interface QueueGatewayMessage {
  /** What makes the message unique: `reply:<inbound message id>`, `notify:<caseId>:<eventId>`. */
  key: string;
  phoneCipher: string;
  text: string;
  purpose: GatewayOutItem['purpose'];
  caseId?: string;
}

/**
 * Queues a message unless one with the same key is queued already; returns its id and whether this call queued it.
 */
export async function queueGatewayMessage(
  db: DynamoDb,
  tableName: string,
  message: QueueGatewayMessage,
  now: Date,
): Promise<{ id: string; queued: boolean }> {
  const id = gatewayOutId(message.key);
  const item: GatewayOutItem = {
    id,
    phone: message.phoneCipher,
    text: message.text,
    purpose: message.purpose,
    ...(message.caseId ? { caseId: message.caseId } : {}),
    state: 'queued',
    queuedAt: now.toISOString(),
    attempts: 0,
  };
  try {
    await db.put({
      TableName: tableName,
      Item: {
        ...gatewayOutKey(id),
        entity: 'gateway_out',
        ...item,
        [tableDefinition.ttlAttribute]: Math.floor(now.getTime() / 1000) + KEPT_DAYS * 86_400,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    return { id, queued: true };
  } catch (err) {
    if (err instanceof ConditionFailedError) return { id, queued: false };
    throw err;
  }
}

/** One queued message, or undefined when there is none (or it no longer reads). */
export async function getGatewayMessage(
  db: DynamoDb,
  tableName: string,
  id: string,
): Promise<GatewayOutItem | undefined> {
  const item = await db.get(tableName, gatewayOutKey(id), true);
  const parsed = GatewayOutItem.safeParse(item);
  return parsed.success ? parsed.data : undefined;
}

/** Counts a send request, before it is made (so a crash mid-request still shows in `attempts`). */
export async function countAttempt(db: DynamoDb, tableName: string, id: string): Promise<void> {
  await db.update({
    TableName: tableName,
    Key: gatewayOutKey(id),
    UpdateExpression: 'ADD attempts :one',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':one': 1 },
  });
}

/** The relay took the message: recorded unless a later state (a delivery report) got there first. */
export async function markAccepted(db: DynamoDb, tableName: string, id: string, at: Date): Promise<void> {
  await db.update({
    TableName: tableName,
    Key: gatewayOutKey(id),
    UpdateExpression: 'SET acceptedAt = :at',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':at': at.toISOString() },
  });
}

/** Which states a report may move a message from: a report never takes a message back (delivered stays). */
const MAY_FOLLOW: Record<'sent' | 'delivered' | 'failed', readonly GatewayOutItem['state'][]> = {
  sent: ['queued'],
  delivered: ['queued', 'sent'],
  failed: ['queued', 'sent'],
};

/** Records a delivery report on the message; false when the message is unknown or already further along. */
export async function recordGatewayState(
  db: DynamoDb,
  tableName: string,
  id: string,
  state: 'sent' | 'delivered' | 'failed',
  at: Date,
  reason?: string,
): Promise<boolean> {
  const from = MAY_FOLLOW[state];
  try {
    await db.update({
      TableName: tableName,
      Key: gatewayOutKey(id),
      UpdateExpression: `SET #state = :state, stateAt = :at${reason ? ', reason = :reason' : ''}`,
      ConditionExpression: `attribute_exists(pk) AND #state IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':state': state,
        ':at': at.toISOString(),
        ...(reason ? { ':reason': reason } : {}),
        ...Object.fromEntries(from.map((s, i) => [`:from${i}`, s])),
      },
    });
    return true;
  } catch (err) {
    if (err instanceof ConditionFailedError) return false;
    throw err;
  }
}
