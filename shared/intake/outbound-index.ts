/**
 * Which case an outbound message belongs to, so Twilio's delivery-status callbacks (which carry only the message's
 * SID) can be recorded on the case: pk `MSG#<sid>`, sk `MSG` → case id. The notifier calls {@link recordOutbound}
 * right after Twilio accepts a message; the status webhook calls {@link caseIdForMessage}.
 *
 * The items expire (DynamoDB TTL) after {@link OUTBOUND_RETENTION_DAYS}: Twilio reports a message's fate within
 * hours, so a late callback after that is dropped.
 */
import * as z from 'zod';
import type { DynamoDb } from '../store/dynamodb.ts';
import { tableDefinition } from '../store/table-definition.ts';

export const OUTBOUND_RETENTION_DAYS = 30;

export const outboundKey = (sid: string) => ({ pk: `MSG#${sid}`, sk: 'MSG' });

const OutboundItem = z.object({ caseId: z.string().min(1) });

/** Remembers that message (or call) `sid` was sent about case `caseId`. */
export async function recordOutbound(
  db: DynamoDb,
  tableName: string,
  message: { sid: string; caseId: string; at?: Date },
): Promise<void> {
  const at = message.at ?? new Date();
  await db.put({
    TableName: tableName,
    Item: {
      ...outboundKey(message.sid),
      entity: 'outbound_message',
      caseId: message.caseId,
      sentAt: at.toISOString(),
      [tableDefinition.ttlAttribute]: Math.floor(at.getTime() / 1000) + OUTBOUND_RETENTION_DAYS * 86_400,
    },
  });
}

/** The case an outbound message (or call) was sent about, if the platform sent it. */
export async function caseIdForMessage(
  db: DynamoDb,
  tableName: string,
  sid: string,
): Promise<string | undefined> {
  const item = await db.get(tableName, outboundKey(sid));
  if (!item) return undefined;
  const parsed = OutboundItem.safeParse(item);
  return parsed.success ? parsed.data.caseId : undefined;
}
