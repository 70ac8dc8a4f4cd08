/**
 * The SNS subscription behind each focal point: which subscription ARN delivers its notifications, to which
 * endpoint, with which filter policy. Kept beside the focal-point record (pk `FP_SUBSCRIPTION`, sk the focal
 * point id) rather than in it: the record is what an admin edits, this is what the platform derived from it,
 * and listing every subscription is one Query.
 */
import * as z from 'zod';
import type { DynamoDb, Item } from '../store/dynamodb.ts';

const PARTITION = 'FP_SUBSCRIPTION';
export const subscriptionKey = (focalPointId: string) => ({ pk: PARTITION, sk: focalPointId });

export const FocalPointSubscriptionSchema = z.object({
  focalPointId: z.string(),
  subscriptionArn: z.string(),
  protocol: z.string(),
  endpoint: z.string(),
  /** The filter policy as sent to SNS (JSON text). */
  filterPolicy: z.string(),
  /** The subscription's own dead-letter queue (shared/routing/subscription-dlq.ts); absent on older records. */
  dlqArn: z.string().optional(),
  updatedAt: z.string(),
});
export type FocalPointSubscription = z.infer<typeof FocalPointSubscriptionSchema>;

export function makeSubscriptionStore(deps: { db: DynamoDb; tableName: string }) {
  const { db, tableName } = deps;
  const fromItem = (it: Item) => FocalPointSubscriptionSchema.parse(it);
  return {
    async get(focalPointId: string): Promise<FocalPointSubscription | undefined> {
      const it = await db.get(tableName, subscriptionKey(focalPointId), true);
      return it ? fromItem(it) : undefined;
    },
    async list(): Promise<FocalPointSubscription[]> {
      const items = await db.queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': PARTITION },
        ConsistentRead: true,
      });
      return items.map(fromItem);
    },
    async put(s: FocalPointSubscription): Promise<void> {
      await db.put({
        TableName: tableName,
        Item: { ...subscriptionKey(s.focalPointId), entity: 'focal_point_subscription', ...s },
      });
    },
    async delete(focalPointId: string): Promise<void> {
      await db.delete({ TableName: tableName, Key: subscriptionKey(focalPointId) });
    },
  };
}

export type SubscriptionStore = ReturnType<typeof makeSubscriptionStore>;
