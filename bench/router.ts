/**
 * Router batch throughput: stream records per second through the router handler (classify, route, set the SLA,
 * write the case and its events, link focal points, publish to SNS with publish markers), on DynamoDB Local and
 * the SNS/SQS emulator, in 25-record batches as the event source mapping delivers them. The baseline is the bare
 * stream read of the same records: GetRecords in 25-record pages, which is what the event source itself does
 * before the handler sees anything, so the ratio says what the router adds on top of reading its input.
 *
 * The intake wave (new cases) is followed by the wave the router's own writes produce (the routed case, the
 * `classified` and `routed` events that are then published): both are counted, as both are the router's load.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { makePlatform } from '#functions/lib/platform.ts';
import { routerFor } from '#functions/router/handler.ts';
import { ensureTable, localAwsClients, startDynamoLocal } from '#local/dynamodb-local.ts';
import { LocalMessaging } from '#local/messaging.ts';
import { freePort } from '#local/ports.ts';
import { seed } from '#local/seed.ts';
import { streamArnOf, toLambdaRecord } from '#local/stream-poller.ts';
import type { Language } from '#shared/classification/taxonomy.ts';
import type { DynamoDb } from '#shared/store/dynamodb.ts';
import { round } from './stats.ts';
import type { BenchResult } from './types.ts';

const CASES = Number(process.env.BENCH_ROUTER_CASES ?? 300);
const BATCH = 25;
const DATA = fileURLToPath(new URL('../data/classifier/test.jsonl', import.meta.url));

/** Reads a table's whole stream from its start in `BATCH`-record pages; returns the records and the time spent. */
async function readStream(
  db: DynamoDb,
  streams: DynamoDBStreamsClient,
  tableName: string,
  iterators: Map<string, string | undefined>,
): Promise<{ records: DynamoDBRecord[]; ms: number }> {
  const started = performance.now();
  const arn = await streamArnOf(db, tableName);
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  for (const { ShardId } of StreamDescription?.Shards ?? []) {
    if (!ShardId || iterators.has(ShardId)) continue;
    const it = await streams.send(
      new GetShardIteratorCommand({ StreamArn: arn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    iterators.set(ShardId, it.ShardIterator);
  }
  const records: DynamoDBRecord[] = [];
  for (const [shard, start] of iterators) {
    let it = start;
    while (it) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: BATCH }));
      if (page.NextShardIterator) it = page.NextShardIterator;
      iterators.set(shard, it);
      if (!page.Records?.length) break;
      records.push(...page.Records.map((r) => toLambdaRecord(r, arn)));
    }
  }
  return { records, ms: performance.now() - started };
}

export async function run(): Promise<BenchResult[]> {
  const dynamo = await startDynamoLocal({ port: await freePort() });
  const messaging = new LocalMessaging(await freePort(), 'bench');
  try {
    await messaging.start();
    const tableName = 'bench-router';
    await ensureTable(dynamo.db, tableName);
    const platform = makePlatform({
      stage: 'bench',
      aws: localAwsClients({ dynamodb: dynamo.endpoint, sns: messaging.endpoint }),
      tableName,
      topicArn: messaging.topicArn,
      twilio: { accountSid: `AC${'0'.repeat(32)}`, authToken: 'bench', messagingFrom: '+9647000000000' },
      publicBaseUrl: 'http://localhost',
      keys: { encryptionKey: Buffer.alloc(32, 1), hashKey: Buffer.alloc(32, 2) },
      subscriptionTarget: (focalPointId) => ({
        protocol: 'sqs',
        endpoint: messaging.inboxQueue(focalPointId).arn,
      }),
    });
    await seed(platform);
    const messages = readFileSync(DATA, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { text: string; language: Language });
    const iterators = new Map<string, string | undefined>();
    // Seeding wrote configuration items: read past them, they are not the router's load.
    await readStream(dynamo.db, dynamo.streams, tableName, iterators);
    for (let i = 0; i < CASES; i++) {
      const m = messages[i % messages.length] as { text: string; language: Language };
      await platform.cases.create({
        channel: 'sms',
        idempotencyKey: `SMbench${i}`,
        narrative: m.text,
        language: m.language,
        phone: '+9647701234567',
        createdBy: { kind: 'complainant' },
      });
    }

    const router = routerFor(platform);
    let records = 0;
    let readMs = 0;
    let routeMs = 0;
    let failed = 0;
    for (let wave = 0; wave < 4; wave++) {
      const read = await readStream(dynamo.db, dynamo.streams, tableName, iterators);
      if (read.records.length === 0) break;
      readMs += read.ms;
      records += read.records.length;
      const started = performance.now();
      for (let i = 0; i < read.records.length; i += BATCH) {
        const res = await router({ Records: read.records.slice(i, i + BATCH) });
        failed += res.batchItemFailures.length;
      }
      routeMs += performance.now() - started;
    }
    if (failed > 0) throw new Error(`${failed} records failed in the router bench`);
    const value = records / (routeMs / 1000);
    const baseline = records / (readMs / 1000);
    return [
      {
        name: `router batch throughput (${CASES} SMS cases, ${records} records, batches of ${BATCH})`,
        value: round(value, 1),
        unit: 'records/s',
        baseline: round(baseline, 1),
        ratio: round(value / baseline, 3),
        goal: '>= 50 records/s',
      },
    ];
  } finally {
    await messaging.stop();
    await dynamo.stop();
  }
}
