import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { inject } from 'vitest';
import { localStreamsClient } from '#local/dynamodb-local.ts';
import type { LocalMessaging } from '#local/messaging.ts';
import { asDeliveredToQueue } from '#local/sns-delivery.ts';
import { streamArnOf, toLambdaRecord } from '#local/stream-poller.ts';
import type { DynamoDb } from '#shared/store/dynamodb.ts';

/** Reads a table's stream from its start, returning on each call the records written since the last one. */
export class StreamReader {
  private readonly iterators = new Map<string, string | undefined>();
  private arn: string | undefined;
  private readonly streams: DynamoDBStreamsClient = localStreamsClient(inject('dynamoEndpoint'));

  constructor(
    private readonly db: DynamoDb,
    private readonly tableName: string,
  ) {}

  async read(): Promise<DynamoDBRecord[]> {
    this.arn ??= await streamArnOf(this.db, this.tableName);
    const arn = this.arn;
    const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    for (const { ShardId } of StreamDescription?.Shards ?? []) {
      if (!ShardId || this.iterators.has(ShardId)) continue;
      const it = await this.streams.send(
        new GetShardIteratorCommand({ StreamArn: arn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      this.iterators.set(ShardId, it.ShardIterator);
    }
    const out: DynamoDBRecord[] = [];
    for (const [shard, iterator] of this.iterators) {
      let it = iterator;
      while (it) {
        const page = await this.streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1000 }));
        const records = (page.Records ?? []).map((r) => toLambdaRecord(r, arn));
        out.push(...records);
        if (page.NextShardIterator) it = page.NextShardIterator;
        this.iterators.set(shard, it);
        if (records.length === 0) break;
      }
    }
    return out;
  }
}

export type StreamHandler = (
  event: DynamoDBStreamEvent,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

/**
 * Feeds the stream to a handler in batches of 25, as the event source does, until the handler's own writes
 * stop producing records. Returns every record delivered and every failure reported.
 */
export async function drain(
  reader: StreamReader,
  handler: StreamHandler,
): Promise<{ delivered: DynamoDBRecord[]; failures: string[] }> {
  const delivered: DynamoDBRecord[] = [];
  const failures: string[] = [];
  for (let round = 0; round < 20; round++) {
    const records = await reader.read();
    if (records.length === 0) break;
    for (let i = 0; i < records.length; i += 25) {
      const batch = records.slice(i, i + 25);
      const res = await handler({ Records: batch });
      delivered.push(...batch);
      failures.push(...res.batchItemFailures.map((f) => f.itemIdentifier));
    }
  }
  return { delivered, failures };
}

export interface Delivered {
  body: string;
  message: Record<string, unknown>;
  attributes: Record<string, string>;
}

/** Everything waiting in a focal point's inbox queue (SNS envelopes, as the subscription delivers them). */
export async function readInbox(messaging: LocalMessaging, focalPointId: string): Promise<Delivered[]> {
  const queue = messaging.inboxQueue(focalPointId);
  const out: Delivered[] = [];
  for (;;) {
    const batch = await messaging.sqs.receive(queue.url, 10, 0);
    if (batch.length === 0) return out;
    for (const m of batch) {
      // As SNS delivers to a queue: a message published with texts per protocol arrives as its `default` JSON.
      const envelope = JSON.parse(asDeliveredToQueue(m.Body)) as {
        Message: string;
        MessageAttributes?: Record<string, { Value: string }>;
      };
      out.push({
        body: m.Body,
        message: JSON.parse(envelope.Message) as Record<string, unknown>,
        attributes: Object.fromEntries(
          Object.entries(envelope.MessageAttributes ?? {}).map(([k, v]) => [k, v.Value]),
        ),
      });
      await messaging.sqs.delete(queue.url, m.ReceiptHandle);
    }
  }
}
