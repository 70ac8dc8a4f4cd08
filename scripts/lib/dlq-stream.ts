/**
 * A failed stream batch read again from DynamoDB Streams, from the coordinates Lambda's on-failure record gives
 * (GetShardIterator AT_SEQUENCE_NUMBER at the first record, GetRecords up to the last), and turned back into the
 * event the consumer's event source mapping would have sent it.
 */
import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { SENDER_PK_PREFIX } from '#shared/intake/sender.ts';
import { GATEWAY_OUT_PREFIX } from '#shared/intake/transports/gateway-outbox.ts';
import { topology } from '#shared/messaging/topology.ts';
import { toLambdaRecord } from '../../local/stream-poller.ts';
import type { StreamBatchInfo } from './dlq-messages.ts';

/** DynamoDB Streams keeps a record for 24 hours. */
export const STREAM_RETENTION_MS = 24 * 3_600_000;

export type StreamConsumer = keyof typeof topology.streamConsumers;

/**
 * The event filters of each consumer's event source mapping (infra/stacks/stateless-stack.ts), as predicates: a
 * batch Lambda sent holds only records that passed them, while the shard between its first and last sequence
 * number also holds every other write of the table.
 */
const MAPPING_FILTERS: Record<StreamConsumer, (r: DynamoDBRecord) => boolean> = {
  router: (r) => casesAndEvents(r, topology.streamConsumers.router.filter),
  projector: (r) => casesAndEvents(r, topology.streamConsumers.projector.filter),
  inbox: (r) => (r.dynamodb?.Keys?.pk?.S ?? '').startsWith(SENDER_PK_PREFIX),
  'gateway-outbox': (r) =>
    r.eventName === 'INSERT' && (r.dynamodb?.Keys?.pk?.S ?? '').startsWith(GATEWAY_OUT_PREFIX),
};

function casesAndEvents(
  r: DynamoDBRecord,
  filter: { eventName: readonly string[]; dynamodb: { NewImage: { entity: { S: readonly string[] } } } },
): boolean {
  const entity = r.dynamodb?.NewImage?.entity?.S;
  return (
    filter.eventName.includes(r.eventName ?? '') &&
    entity !== undefined &&
    filter.dynamodb.NewImage.entity.S.includes(entity)
  );
}

export const passesMapping = (consumer: StreamConsumer, r: DynamoDBRecord): boolean =>
  MAPPING_FILTERS[consumer](r);

export type BatchRead = { records: DynamoDBRecord[] } | { gone: string };

const GONE_ERRORS = new Set([
  'TrimmedDataAccessException',
  'ResourceNotFoundException',
  'ExpiredIteratorException',
]);

/**
 * The records of a failed batch, read again from its shard; `gone` says why they cannot be had (past the stream's
 * 24 hours, trimmed, or the shard no longer there).
 */
export async function readBatch(
  streams: DynamoDBStreamsClient,
  info: StreamBatchInfo,
  now: Date = new Date(),
): Promise<BatchRead> {
  const writtenAt = Date.parse(info.approximateArrivalOfFirstRecord);
  if (Number.isFinite(writtenAt) && now.getTime() - writtenAt > STREAM_RETENTION_MS)
    return {
      gone: `its records were written at ${info.approximateArrivalOfFirstRecord}, and DynamoDB Streams keeps records 24 hours`,
    };
  const start = BigInt(info.startSequenceNumber);
  const end = BigInt(info.endSequenceNumber);
  const records: DynamoDBRecord[] = [];
  try {
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: info.streamArn,
          ShardId: info.shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: info.startSequenceNumber,
        }),
      )
    ).ShardIterator;
    let emptyPages = 0;
    let reachedEnd = false;
    // An open shard answers empty pages once it has nothing newer; a few in a row mean the end is not coming.
    while (iterator && !reachedEnd && emptyPages < 5) {
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      const page = out.Records ?? [];
      emptyPages = page.length ? 0 : emptyPages + 1;
      for (const r of page) {
        const seq = BigInt(r.dynamodb?.SequenceNumber ?? '0');
        if (seq > end) {
          reachedEnd = true;
          break;
        }
        records.push(toLambdaRecord(r, info.streamArn));
        if (seq === end) {
          reachedEnd = true;
          break;
        }
      }
      iterator = out.NextShardIterator;
    }
  } catch (err) {
    const name = (err as Error).name;
    if (GONE_ERRORS.has(name)) return { gone: `the stream no longer holds them (${name})` };
    throw err;
  }
  const first = records[0]?.dynamodb?.SequenceNumber;
  const last = records.at(-1)?.dynamodb?.SequenceNumber;
  if (first === undefined || BigInt(first) !== start)
    return { gone: `the stream no longer holds its first record (${info.startSequenceNumber})` };
  if (last === undefined || BigInt(last) !== end)
    return {
      gone: `the stream gave its records only up to ${last ?? 'none'}, not ${info.endSequenceNumber}`,
    };
  return { records };
}
