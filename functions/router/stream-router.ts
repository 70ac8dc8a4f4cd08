import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { CaseEventSchema } from '#shared/cases/case-schema.ts';
import { caseFromItem, receivedEvent } from '#shared/cases/case-store.ts';
import type { RoutingConfig } from '#shared/routing/plan.ts';
import type { RouterOutcome, RouterService } from '#shared/routing/router-service.ts';
import { imageToItem } from '#shared/store/dynamodb.ts';
import { processStreamBatch } from '../lib/batch.ts';
import { logger as defaultLogger } from '../lib/logger.ts';

type Log = Pick<typeof defaultLogger, 'debug' | 'info' | 'warn' | 'error'>;

/** Reads the configuration at most once per batch, and only when a record needs it. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load().catch((err: unknown) => {
      value = undefined;
      throw err;
    });
    return value;
  };
}

const sequenceOf = (r: DynamoDBRecord): string => r.dynamodb?.SequenceNumber ?? '';

function logOutcome(log: Log, outcome: RouterOutcome): void {
  if (outcome.code === 'ROUTER.CASE_ROUTED' && outcome.problem) {
    // No focal point may receive this case: somebody has to add one. Never falls back to a general queue.
    log.error('case not routed', { ...outcome, code: outcome.problem });
    return;
  }
  if (outcome.code === 'ROUTER.CASE_ROUTED' && outcome.withheld) {
    log.warn('focal points withheld from a restricted case', { ...outcome, code: 'ROUTING.WITHHELD' });
  }
  if (outcome.code === 'ROUTER.CASE_NOT_FOUND' || outcome.code === 'ROUTER.EVENT_CASE_NOT_FOUND') {
    log.warn('record for a missing case', { ...outcome });
    return;
  }
  if (outcome.code === 'ROUTER.CASE_ROUTED') log.info('case routed', { ...outcome });
  else if (outcome.code !== 'ROUTER.CASE_UNCHANGED') log.debug('router', { ...outcome });
}

/**
 * The stream adapter: turns DynamoDB stream records into the router's use-cases. Case items (new or changed)
 * are routed, and a new one's "received" entry published; timeline events (new) are published; every other
 * item is ignored. Records are independent: one that fails (a bad image, an outage) is reported in
 * `batchItemFailures` by its sequence number (Powertools' batch processor, functions/lib/batch.ts) and the others
 * still run. Changes to one case run in stream order; other records run side by side. Retries and the dead-letter
 * queue are the event source's (Lambda's, or the local stack's poller).
 */
export function makeStreamRouter(service: RouterService, log: Log = defaultLogger) {
  async function handleRecord(record: DynamoDBRecord, config: () => Promise<RoutingConfig>) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName === 'REMOVE' || !image) return;
    const item = imageToItem(image);
    if (item.entity === 'case') {
      const c = caseFromItem(item);
      // A new case's first timeline entry ("received") is the case item itself: it is published from here,
      // beside the routing (the two do not depend on each other). Both are waited for before the record is
      // answered, also when one fails: a publish that fails at once (messaging down) must not leave the routing
      // write running after the handler has returned (Lambda freezes the process then).
      const settled = await Promise.allSettled([
        service.routeCase(c, config),
        ...(record.eventName === 'INSERT' ? [service.publishEvent(receivedEvent(c), config)] : []),
      ]);
      for (const s of settled) if (s.status === 'fulfilled') logOutcome(log, s.value);
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
    } else if (item.entity === 'event' && record.eventName === 'INSERT') {
      logOutcome(log, await service.publishEvent(CaseEventSchema.parse(item), config));
    }
  }

  return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> => {
    const config = once(() => service.loadConfig());
    return processStreamBatch(
      event,
      async (r) => {
        try {
          await handleRecord(r, config);
        } catch (err) {
          log.error('record failed', {
            code: 'ROUTER.RECORD_FAILED',
            sequenceNumber: sequenceOf(r),
            eventName: r.eventName,
            errorName: err instanceof Error ? err.name : typeof err,
          });
          throw err;
        }
      },
      {
        // Versions of one case item run in stream order; anything else (a timeline event, whose publishing
        // depends on no other record) runs on its own.
        keyOf: (r) => (r.dynamodb?.Keys?.sk?.S === 'CASE' ? r.dynamodb.Keys.pk?.S : undefined),
        afterFailure: 'continue',
      },
      context,
    );
  };
}
