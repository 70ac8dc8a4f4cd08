/**
 * SQS subscriber of the case-events topic (filter `audience: complainant`): outcome SMS with the satisfaction
 * question, and the no-answer closing notice (see notify.ts). Messages run one after another through Powertools'
 * batch processor (functions/lib/batch.ts): a failed message, or one there was no longer time for, is reported and
 * comes back after the visibility timeout; after five tries it goes to the queue's DLQ.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processQueueBatch } from '#functions/lib/batch.ts';
import { logger } from '#functions/lib/logger.ts';
import { getPlatform, type Platform } from '#functions/lib/platform.ts';
import { TWILIO_REQUEST_TIMEOUT_MS } from '#functions/lib/twilio.ts';
import { makeNotifier } from './notify.ts';

let cached: { platform: Platform; notifier: ReturnType<typeof makeNotifier> } | undefined;

/**
 * The time one message may need at most: a Twilio request (its own timeout) and a few DynamoDB writes. A message
 * started with less left than this would risk the function's timeout, which fails the whole batch; it is handed back
 * instead, for the next delivery.
 */
export const MESSAGE_BUDGET_MS = TWILIO_REQUEST_TIMEOUT_MS + 2_000;

/** Too little of the function's time was left to start this message: it is reported, and comes back. */
export class NoTimeLeftError extends Error {
  readonly code = 'NOTIFIER.NO_TIME_LEFT';
  constructor() {
    super('Too little of the function’s time was left to start this message');
    this.name = 'NoTimeLeftError';
  }
}

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  const platform = await getPlatform();
  if (cached?.platform !== platform) cached = { platform, notifier: makeNotifier(platform) };
  const { notifier } = cached;
  return processQueueBatch(
    event,
    async (record) => {
      if (context && context.getRemainingTimeInMillis() < MESSAGE_BUDGET_MS) throw new NoTimeLeftError();
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
