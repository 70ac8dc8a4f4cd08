/**
 * SMS opt-outs (STOP / START and their Arabic and Kurdish equivalents), kept on the number's own item
 * (`optedOut`, `optOutChangedAt`; see sender.ts), so the number itself is never stored here.
 *
 * Every part of the platform that sends an SMS on its own (the notifier's acknowledgements, outcomes and
 * satisfaction questions) calls {@link isOptedOut} first and sends nothing to an opted-out number.
 */
import { ConditionFailedError } from '../errors/aws-errors.ts';
import type { DynamoDb, Item } from '../store/dynamodb.ts';
import { senderKey } from './sender.ts';

/** Whether the number behind `phoneHash` (from `protector.hashPhone`) has opted out of SMS. */
export async function isOptedOut(db: DynamoDb, tableName: string, phoneHash: string): Promise<boolean> {
  const item = await db.get(tableName, senderKey(phoneHash), true);
  return item?.optedOut === true;
}

/**
 * Records STOP (`optedOut: true`) or START (`false`) in one request and returns the number's item as it was (the
 * webhook answers in the number's language from it). The flag is kept after START, with the time of the last
 * change, so an officer can see that a number once opted out; a repeat of the same keyword changes nothing.
 */
export async function setOptedOut(
  db: DynamoDb,
  tableName: string,
  phoneHash: string,
  optedOut: boolean,
  at: string,
): Promise<Item | undefined> {
  try {
    return await db.update({
      TableName: tableName,
      Key: senderKey(phoneHash),
      UpdateExpression: 'SET optedOut = :to, optOutChangedAt = :at, entity = :entity',
      ConditionExpression: optedOut
        ? 'attribute_not_exists(optedOut) OR optedOut = :from'
        : 'optedOut = :from',
      ExpressionAttributeValues: { ':to': optedOut, ':from': !optedOut, ':at': at, ':entity': 'sender' },
      ReturnValues: 'ALL_OLD',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  } catch (err) {
    // Already so: nothing to change.
    if (err instanceof ConditionFailedError) return err.item;
    throw err;
  }
}
