/**
 * SMS opt-outs (STOP / START and their Arabic and Kurdish equivalents), one item per phone number, keyed by the
 * number's keyed hash so the number itself is never stored here: pk `OPTOUT#<hash>`, sk `OPTOUT`.
 *
 * Every part of the platform that sends an SMS on its own (the notifier's acknowledgements, outcomes and
 * satisfaction questions) calls {@link isOptedOut} first and sends nothing to an opted-out number.
 */
import type { DynamoDb } from '../aws/dynamodb.ts';

export const optOutKey = (phoneHash: string) => ({ pk: `OPTOUT#${phoneHash}`, sk: 'OPTOUT' });

/** Whether the number behind `phoneHash` (from `protector.hashPhone`) has opted out of SMS. */
export async function isOptedOut(db: DynamoDb, tableName: string, phoneHash: string): Promise<boolean> {
  const item = await db.get(tableName, optOutKey(phoneHash));
  return item?.optedOut === true;
}

/**
 * Records STOP (`optedOut: true`) or START (`false`). The item is kept after START, with the time of the last
 * change, so an officer can see that a number once opted out; a repeat of the same keyword changes nothing.
 */
export async function setOptedOut(
  db: DynamoDb,
  tableName: string,
  phoneHash: string,
  optedOut: boolean,
  at: string,
): Promise<void> {
  await db.put({
    TableName: tableName,
    Item: { ...optOutKey(phoneHash), entity: 'opt_out', optedOut, changedAt: at },
  });
}
