/**
 * DynamoDB stream consumer: keeps the report aggregates up to date and closes or reopens cases on the
 * complainant's satisfaction answer (see projector.ts). Partial batch responses: the first record that fails is
 * reported and the rest of the batch is left for the retry, which the idempotent projection makes safe.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '#functions/lib/logger.ts';
import { getPlatform, type Platform } from '#functions/lib/platform.ts';
import { type AttributeValue, unmarshallItem } from '#shared/aws/dynamodb.ts';
import { makeProjector, type Projector } from './projector.ts';

let cached: { platform: Platform; projector: Projector } | undefined;

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const platform = await getPlatform();
  if (cached?.platform !== platform) cached = { platform, projector: makeProjector(platform) };
  const { projector } = cached;
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    // Only case items and timeline events concern the projector; other items (markers, aggregates, other
    // domains' records) are skipped before they are read.
    const entity = image?.entity?.S;
    if (!image || (entity !== 'case' && entity !== 'event')) continue;
    try {
      const outcome = await projector.handle(
        // unmarshallItem also reads DynamoDB Local's stream quirk (an empty map written as `{}`).
        unmarshallItem(image as Record<string, AttributeValue>),
        record.eventName,
      );
      if (outcome.code !== 'PROJECTOR.IGNORED') logger.debug('projected', { ...outcome });
    } catch (err) {
      logger.error('projector record failed', {
        code: 'PROJECTOR.RECORD_FAILED',
        errorName: err instanceof Error ? err.name : typeof err,
        stack: err instanceof Error ? err.stack?.split('\n').slice(1, 5).join('\n') : undefined,
        sequenceNumber: record.dynamodb?.SequenceNumber,
      });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
};
