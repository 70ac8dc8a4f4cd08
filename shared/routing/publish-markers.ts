/**
 * Publish markers: one item per case event that has been published to SNS (`PUB#<eventId>`), so a replayed
 * stream record does not publish its event again.
 *
 * The order is check, publish, then mark, and only after SNS accepted the message. A crash between SNS's answer
 * and the marker write leaves no marker, and the retried record publishes the event a second time: delivery is
 * at least once, never at most once, because a lost notification about a complaint is worse than a repeated
 * one. Every message carries its `eventId`, so a subscriber that must not act twice (the notifier) can
 * de-duplicate. Marking first would turn that window into silent loss. The markers expire after a week, long
 * after the stream (24 hours) can replay the record.
 */
import { ConditionFailedError } from '../errors/aws-errors.ts';
import type { DynamoDb } from '../store/dynamodb.ts';
import { tableDefinition } from '../store/table-definition.ts';

const KEEP_SECONDS = 7 * 24 * 3600;

export const publishMarkerKey = (eventId: string) => ({ pk: `PUB#${eventId}`, sk: 'PUB' });

export interface PublishMarkers {
  isPublished(eventId: string): Promise<boolean>;
  /** Records that the event was published; a marker already there is left as it is. */
  markPublished(eventId: string, messageId: string): Promise<void>;
}

export function makePublishMarkers(deps: {
  db: DynamoDb;
  tableName: string;
  now?: () => Date;
}): PublishMarkers {
  const { db, tableName } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    async isPublished(eventId) {
      return (await db.get(tableName, publishMarkerKey(eventId), true)) !== undefined;
    },
    async markPublished(eventId, messageId) {
      const at = now();
      try {
        await db.put({
          TableName: tableName,
          Item: {
            ...publishMarkerKey(eventId),
            entity: 'publish_marker',
            eventId,
            messageId,
            publishedAt: at.toISOString(),
            [tableDefinition.ttlAttribute]: Math.floor(at.getTime() / 1000) + KEEP_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        });
      } catch (err) {
        if (!(err instanceof ConditionFailedError)) throw err;
      }
    },
  };
}
