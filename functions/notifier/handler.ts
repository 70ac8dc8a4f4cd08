/**
 * SQS subscriber of the case-events topic (filter `audience: complainant`): outcome SMS with the satisfaction
 * question, and the no-answer closing notice (see notify.ts). Messages run one after another through Powertools'
 * batch processor (functions/lib/batch.ts): a failed message is reported and comes back after the visibility
 * timeout; after five tries it goes to the queue's DLQ.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processQueueBatch } from '#functions/lib/batch.ts';
import { logger } from '#functions/lib/logger.ts';
import { getPlatform, type Platform } from '#functions/lib/platform.ts';
import { makeNotifier } from './notify.ts';

let cached: { platform: Platform; notifier: ReturnType<typeof makeNotifier> } | undefined;

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  const platform = await getPlatform();
  if (cached?.platform !== platform) cached = { platform, notifier: makeNotifier(platform) };
  const { notifier } = cached;
  return processQueueBatch(
    event,
    async (record) => {
      try {
        const code = await notifier.handle(record.body);
        if (code !== 'NOTIFIER.IGNORED') logger.info('notifier', { code, messageId: record.messageId });
      } catch (err) {
        logger.error('notifier message failed', {
          code: 'NOTIFIER.FAILED',
          messageId: record.messageId,
          errorName: err instanceof Error ? err.name : typeof err,
        });
        throw err;
      }
    },
    context,
  );
};
