/**
 * DynamoDB stream consumer: keeps the report aggregates up to date and closes or reopens cases on the
 * complainant's satisfaction answer (see projector.ts). Records run in stream order through Powertools' batch
 * processor (functions/lib/batch.ts); the first record that fails is reported, and the records after it in the
 * batch are reported without running, so the retry (from that record on) meets them in order. The idempotent
 * projection makes the repeat safe.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { processStreamBatch } from '#functions/lib/batch.ts';
import { logger } from '#functions/lib/logger.ts';
import { getPlatform, type Platform } from '#functions/lib/platform.ts';
import { imageToItem } from '#shared/store/dynamodb.ts';
import { makeProjector, type Projector } from './projector.ts';

let cached: { platform: Platform; projector: Projector } | undefined;

/**
 * The case images of a batch that a newer image (a higher version) of the same case in the same batch supersedes.
 * A case's contribution is computed from the whole image, not from the change, so projecting only the newest image
 * gives the aggregates what projecting every version would, for one transaction instead of several. By version,
 * not by position: a replayed older image may come after the newer one.
 */
function supersededImages(records: DynamoDBRecord[]): Set<string> {
  const caseImages: { pk: string; version: number; sequence: string }[] = [];
  const newest = new Map<string, number>();
  for (const r of records) {
    const image = r.dynamodb?.NewImage;
    const sequence = r.dynamodb?.SequenceNumber;
    const version = Number(image?.version?.N);
    if (image?.entity?.S !== 'case' || image.sk?.S !== 'CASE' || !image.pk?.S || !sequence) continue;
    if (!Number.isFinite(version)) continue;
    caseImages.push({ pk: image.pk.S, version, sequence });
    newest.set(image.pk.S, Math.max(newest.get(image.pk.S) ?? version, version));
  }
  return new Set(
    caseImages.filter((c) => c.version < (newest.get(c.pk) ?? c.version)).map((c) => c.sequence),
  );
}

async function project(projector: Projector, record: DynamoDBRecord, superseded: Set<string>): Promise<void> {
  const image = record.dynamodb?.NewImage;
  // Only case items and timeline events concern the projector; other items (markers, aggregates, other
  // domains' records) are skipped before they are read, and so are case images a newer one in the batch replaces.
  const entity = image?.entity?.S;
  if (!image || (entity !== 'case' && entity !== 'event')) return;
  if (superseded.has(record.dynamodb?.SequenceNumber ?? '')) return;
  try {
    const outcome = await projector.handle(imageToItem(image), record.eventName);
    if (outcome.code !== 'PROJECTOR.IGNORED') logger.debug('projected', { ...outcome });
    // Category, place, day and count: about a place, never a person.
    if ('spikes' in outcome)
      for (const s of outcome.spikes ?? []) logger.info('spike alert raised', { ...s });
  } catch (err) {
    logger.error('projector record failed', {
      code: 'PROJECTOR.RECORD_FAILED',
      errorName: err instanceof Error ? err.name : typeof err,
      stack: err instanceof Error ? err.stack?.split('\n').slice(1, 5).join('\n') : undefined,
      sequenceNumber: record.dynamodb?.SequenceNumber,
    });
    throw err;
  }
}

export const handler = async (
  event: DynamoDBStreamEvent,
  context?: Context,
): Promise<DynamoDBBatchResponse> => {
  const platform = await getPlatform();
  if (cached?.platform !== platform) cached = { platform, projector: makeProjector(platform) };
  const { projector } = cached;
  const superseded = supersededImages(event.Records);
  return processStreamBatch(
    event,
    (record) => project(projector, record, superseded),
    { keyOf: () => 'stream order', afterFailure: 'stop' },
    context,
  );
};
