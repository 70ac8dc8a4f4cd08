import { readFileSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { DynamoDb } from '#shared/store/dynamodb.ts';

/**
 * A record as the Streams API gives it (through the SDK), in the shape Lambda hands a stream consumer: the same
 * fields, the creation time in epoch seconds, the images left in DynamoDB's wire form.
 */
export function toLambdaRecord(record: StreamRecord, streamArn: string): DynamoDBRecord {
  const { ApproximateCreationDateTime, ...dynamodb } = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(dynamodb as NonNullable<DynamoDBRecord['dynamodb']>),
      ...(ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
    },
  };
}

/** The stream of a table (DescribeTable on the table's own client). */
export async function streamArnOf(db: DynamoDb, tableName: string): Promise<string> {
  const out = await db.client.send(new DescribeTableCommand({ TableName: tableName }));
  const arn = out.Table?.LatestStreamArn;
  if (!arn) throw new Error(`table ${tableName} has no stream`);
  return arn;
}

// biome-ignore lint/suspicious/noConfusingVoidType: a Lambda handler may return nothing at all
export type BatchResponse = { batchItemFailures?: { itemIdentifier: string }[] } | undefined | void;
export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<BatchResponse>;

export interface StreamPollerOptions {
  name: string;
  db: DynamoDb;
  /** The Streams API of the same DynamoDB Local. */
  streams: DynamoDBStreamsClient;
  tableName: string;
  handler: StreamHandler;
  batchSize: number;
  /** Attempts of one record before it goes to the dead-letter sink. */
  maxRetries: number;
  /** Where records that kept failing go (the local DLQ); throwing here keeps the record for the next round. */
  deadLetter: (record: DynamoDBRecord, reason: string) => Promise<void>;
  /** Where the last processed sequence number per shard is kept, so a restart neither replays nor skips. */
  checkpointFile?: string;
  idleMs?: number;
  log: (line: string) => void;
}

interface ShardState {
  iterator?: string;
  closed: boolean;
}

/**
 * Reads the table's stream (DynamoDB Local implements the Streams API) and feeds batches to a consumer the way
 * Lambda's event source mapping does: in order per shard, partial batch responses honoured (the batch restarts at
 * the first failed record), bounded retries with back-off, then the record goes to the dead-letter sink and the
 * shard moves on.
 */
export class StreamPoller {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private checkpoints: Record<string, string> = {};
  private readonly shards = new Map<string, ShardState>();
  private attempts = new Map<string, number>();
  /**
   * What cuts each kind of wait short. A poke (every local HTTP request makes one) cuts only the idle wait: were it
   * to cut a failing record's back-off, a burst of requests would spend the record's attempts in seconds while the
   * SNS/SQS emulator is down. resume() (the emulator is back) and stop() cut both.
   */
  private readonly wakers: { idle?: () => void; backoff?: () => void } = {};
  /** Records handed to the consumer and settled (succeeded or dead-lettered); tests and the bench wait on it. */
  processed = 0;
  /** Rounds over every shard that found nothing new; a waiter takes two more of them as "caught up". */
  quietRounds = 0;

  constructor(private readonly o: StreamPollerOptions) {
    if (o.checkpointFile) {
      try {
        this.checkpoints = JSON.parse(readFileSync(o.checkpointFile, 'utf8')) as Record<string, string>;
      } catch {
        this.checkpoints = {};
      }
    }
  }

  get name(): string {
    return this.o.name;
  }

  start(): void {
    this.loop ??= this.run();
  }

  private paused = false;
  /** The consumer call under way, if any (pause waits for it). */
  private delivering: Promise<unknown> | undefined;

  /**
   * Holds delivery (the stack does it while the emulator's subscriptions are re-created) and resolves once no
   * consumer call is under way: a call started during an outage may still be retrying its publish, and must not
   * land on a topic whose subscriptions are not back yet (SNS drops what no subscription takes).
   */
  async pause(): Promise<void> {
    this.paused = true;
    await this.delivering?.catch(() => undefined);
  }

  resume(): void {
    this.paused = false;
    this.wakeAll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeAll();
    await this.loop;
  }

  /**
   * Resolves true once the consumer has caught up with every write made before the call (two rounds over every
   * shard that found nothing new), or false after `timeoutMs`.
   */
  async caughtUp(timeoutMs: number): Promise<boolean> {
    const from = this.quietRounds;
    this.poke();
    const deadline = Date.now() + timeoutMs;
    while (this.quietRounds < from + 2) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 5));
    }
    return true;
  }

  /** Cuts the idle wait short (called after a write so local round trips stay quick). */
  poke(): void {
    this.wakers.idle?.();
  }

  private wakeAll(): void {
    this.wakers.idle?.();
    this.wakers.backoff?.();
  }

  /** Waits `ms`, unless the waker of its kind is called first. */
  private async wait(ms: number, kind: keyof StreamPoller['wakers']): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wakers[kind] = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.wakers[kind] = undefined;
  }

  private async discoverShards(streamArn: string): Promise<void> {
    let start: string | undefined;
    do {
      const out = await this.o.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      for (const { ShardId } of out.StreamDescription?.Shards ?? []) {
        if (!ShardId || this.shards.has(ShardId)) continue;
        const after = this.checkpoints[ShardId];
        const it = await this.o.streams.send(
          new GetShardIteratorCommand(
            after
              ? {
                  StreamArn: streamArn,
                  ShardId,
                  ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
                  SequenceNumber: after,
                }
              : { StreamArn: streamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' },
          ),
        );
        this.shards.set(ShardId, { iterator: it.ShardIterator, closed: !it.ShardIterator });
      }
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  private saveCheckpoint(shardId: string, sequenceNumber: string): void {
    this.checkpoints[shardId] = sequenceNumber;
    if (this.o.checkpointFile) writeFileSync(this.o.checkpointFile, JSON.stringify(this.checkpoints));
  }

  private async run(): Promise<void> {
    let streamArn: string | undefined;
    let lastDiscovery = 0;
    let reportedError = false;
    while (!this.stopped) {
      if (this.paused) {
        await this.wait(100, 'idle');
        continue;
      }
      try {
        streamArn ??= await streamArnOf(this.o.db, this.o.tableName);
        if (Date.now() - lastDiscovery > 5_000) {
          await this.discoverShards(streamArn);
          lastDiscovery = Date.now();
        }
        let busy = false;
        for (const [shardId, state] of this.shards) {
          if (state.closed || !state.iterator) continue;
          busy = (await this.pollShard(streamArn, shardId, state)) || busy;
        }
        reportedError = false;
        if (!busy) {
          this.quietRounds++;
          await this.wait(this.o.idleMs ?? 250, 'idle');
        }
      } catch (err) {
        if (!reportedError)
          this.o.log(`${this.o.name}: stream read failed (${(err as Error).name}); retrying`);
        reportedError = true;
        await this.wait(1_000, 'idle');
      }
    }
  }

  /** One GetRecords round on a shard; true when records were handled (so the loop does not idle). */
  private async pollShard(streamArn: string, shardId: string, state: ShardState): Promise<boolean> {
    const out = await this.o.streams.send(
      new GetRecordsCommand({ ShardIterator: state.iterator, Limit: this.o.batchSize }),
    );
    const records = (out.Records ?? []).map((r) => toLambdaRecord(r, streamArn));
    if (records.length === 0) {
      state.iterator = out.NextShardIterator;
      state.closed = !out.NextShardIterator;
      return false;
    }
    // Paused while these were read: hand them over after resume, from the same iterator.
    if (this.paused) return true;
    const settledUpTo = await this.deliver(records, shardId);
    if (settledUpTo === records.length) {
      state.iterator = out.NextShardIterator;
      state.closed = !out.NextShardIterator;
    } else {
      // Re-read from the first unsettled record next round, after a back-off.
      const first = records[settledUpTo]?.dynamodb?.SequenceNumber;
      const it = await this.o.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: first,
        }),
      );
      state.iterator = it.ShardIterator;
    }
    return true;
  }

  /** Hands records to the consumer; returns how many from the front are settled. */
  private async deliver(records: DynamoDBRecord[], shardId: string): Promise<number> {
    let failedAt = records.length;
    let reason = 'handler failed';
    try {
      const call = this.o.handler({ Records: records });
      this.delivering = call;
      const res = await call;
      const failures = res?.batchItemFailures ?? [];
      if (failures.length) {
        // As Lambda does: the batch restarts at the lowest failed sequence number, and an identifier that names
        // no record of the batch (empty, unknown) fails the whole batch.
        const positions = failures.map((f) =>
          f.itemIdentifier ? records.findIndex((r) => r.dynamodb?.SequenceNumber === f.itemIdentifier) : -1,
        );
        failedAt = positions.includes(-1) ? 0 : Math.min(...positions);
        reason = 'reported as failed';
      }
    } catch (err) {
      failedAt = 0;
      reason = `threw ${(err as Error).name}`;
    }
    for (let i = 0; i < failedAt; i++) this.settle(records[i] as DynamoDBRecord, shardId);
    if (failedAt === records.length) return failedAt;

    const failed = records[failedAt] as DynamoDBRecord;
    const seq = failed.dynamodb?.SequenceNumber ?? '';
    const attempt = (this.attempts.get(seq) ?? 0) + 1;
    this.attempts.set(seq, attempt);
    if (attempt >= this.o.maxRetries) {
      await this.o.deadLetter(failed, reason);
      this.o.log(`${this.o.name}: record ${seq} dead-lettered after ${attempt} attempts (${reason})`);
      this.settle(failed, shardId);
      this.attempts.delete(seq);
      return failedAt + 1;
    }
    // Up to 30 s between attempts, so the eight attempts span about a minute rather than seconds.
    await this.wait(Math.min(30_000, 200 * 2 ** attempt), 'backoff');
    return failedAt;
  }

  private settle(record: DynamoDBRecord, shardId: string): void {
    const seq = record.dynamodb?.SequenceNumber;
    if (seq) this.saveCheckpoint(shardId, seq);
    this.processed++;
  }
}
