/**
 * Partial-batch processing for every stream and queue consumer, through Powertools' `BatchProcessor` and
 * `processPartialResponse`: each record runs through the consumer's record handler, a record whose handler throws
 * is reported in `batchItemFailures` (its sequence number, or its SQS message id), and the others count as done.
 * The event source retries what was reported (a stream from the lowest failed sequence number on), then sends it
 * to the consumer's dead-letter queue.
 *
 * A batch in which every record failed is answered with every record reported rather than thrown: Lambda retries
 * it the same way, and the local stack and the tests can read the answer.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';

/** A record that did not run because an earlier record of the same key failed in this batch. */
export class EarlierRecordFailedError extends Error {
  readonly code = 'BATCH.EARLIER_RECORD_FAILED';
  constructor() {
    super('An earlier record of the same key failed in this batch.');
    this.name = 'EarlierRecordFailedError';
  }
}

export interface KeyOrder<R> {
  /** Records with the same key run one after another, in batch order; `undefined` runs the record on its own. */
  keyOf: (record: R) => string | undefined;
  /**
   * `stop`: once a record fails, the later records of its key fail too without running (they depend on it).
   * `continue`: the later records still run.
   */
  afterFailure: 'stop' | 'continue';
}

/**
 * The record handler for one batch, with records of one key in order and keys side by side (Powertools runs every
 * record's handler at once; each waits here for the record of its key before it).
 */
function inKeyOrder<R>(
  handle: (record: R) => Promise<void>,
  order: KeyOrder<R>,
): (record: R) => Promise<void> {
  const tails = new Map<string, Promise<void>>();
  return (record) => {
    const key = order.keyOf(record);
    if (key === undefined) return handle(record);
    const previous = tails.get(key);
    const run = previous
      ? previous.then(
          () => handle(record),
          () =>
            order.afterFailure === 'stop' ? Promise.reject(new EarlierRecordFailedError()) : handle(record),
        )
      : handle(record);
    tails.set(key, run);
    return run;
  };
}

/** A DynamoDB stream batch through Powertools' batch processor (a new processor per batch: it keeps state). */
export async function processStreamBatch(
  event: DynamoDBStreamEvent,
  handle: (record: DynamoDBRecord) => Promise<void>,
  order: KeyOrder<DynamoDBRecord>,
  context?: Context,
): Promise<DynamoDBBatchResponse> {
  return processPartialResponse(
    event,
    inKeyOrder(handle, order),
    new BatchProcessor(EventType.DynamoDBStreams),
    { context, throwOnFullBatchFailure: false },
  );
}

/** An SQS batch through Powertools' batch processor, one message after another. */
export async function processQueueBatch(
  event: SQSEvent,
  handle: (record: SQSRecord) => Promise<void>,
  context?: Context,
): Promise<SQSBatchResponse> {
  return processPartialResponse(event, handle, new BatchProcessor(EventType.SQS), {
    context,
    throwOnFullBatchFailure: false,
    processInParallel: false,
  });
}
