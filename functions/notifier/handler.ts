/**
 * SQS subscriber of the case-events topic (filter `audience: complainant`): outcome SMS with the satisfaction
 * question, and the no-answer closing notice (see notify.ts). Partial batch responses: a failed message is
 * reported and comes back after the visibility timeout; after five tries it goes to the queue's DLQ.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '#functions/lib/logger.ts';
import { getPlatform, type Platform } from '#functions/lib/platform.ts';
import { makeNotifier } from './notify.ts';

let cached: { platform: Platform; notifier: ReturnType<typeof makeNotifier> } | undefined;

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const platform = await getPlatform();
  if (cached?.platform !== platform) cached = { platform, notifier: makeNotifier(platform) };
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      const code = await cached.notifier.handle(record.body);
      if (code !== 'NOTIFIER.IGNORED') logger.info('notifier', { code, messageId: record.messageId });
    } catch (err) {
      logger.error('notifier message failed', {
        code: 'NOTIFIER.FAILED',
        messageId: record.messageId,
        errorName: err instanceof Error ? err.name : typeof err,
      });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
};
