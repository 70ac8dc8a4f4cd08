/**
 * The local stack's event sources answer a consumer's partial batch response as Lambda's do: a stream batch
 * restarts at the lowest failed sequence number, an SQS batch keeps only the failed messages, and a response naming
 * a record that is not in the batch fails the whole batch. Against DynamoDB Local's stream and the SQS emulator,
 * through the SDK's clients.
 */
import { randomBytes } from 'node:crypto';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_AWS, localStreamsClient } from '#local/dynamodb-local.ts';
import type { LocalMessaging } from '#local/messaging.ts';
import { QueuePoller } from '#local/queue-poller.ts';
import { StreamPoller } from '#local/stream-poller.ts';
import { testDb, testMessaging } from '../support/services.ts';

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A table with `count` items written in order, and a poller over its stream with the given answers. */
async function streamWith(
  count: number,
  answer: (batch: DynamoDBRecord[], call: number) => { itemIdentifier: string }[],
) {
  const { db, tableName } = await testDb();
  for (let i = 0; i < count; i++) {
    await db.put({ TableName: tableName, Item: { pk: `ITEM#${i}`, sk: 'ITEM', n: i } });
  }
  const batches: string[][] = [];
  const poller = new StreamPoller({
    name: 'test',
    db,
    streams: localStreamsClient(inject('dynamoEndpoint')),
    tableName,
    batchSize: 100,
    maxRetries: 5,
    handler: async (event) => {
      batches.push(event.Records.map((r) => String(r.dynamodb?.Keys?.pk?.S)));
      return { batchItemFailures: answer(event.Records, batches.length) };
    },
    deadLetter: async () => {
      throw new Error('nothing should be dead-lettered');
    },
    idleMs: 20,
    log: () => {},
  });
  poller.start();
  return { batches, poller };
}

describe('the local stream poller', () => {
  it('restarts the batch at the lowest failed sequence number, as Lambda does', async () => {
    const { batches, poller } = await streamWith(5, (records, call) =>
      // The 4th and the 3rd record fail the first time: the retry starts at the 3rd.
      call === 1 ? [3, 2].map((i) => ({ itemIdentifier: String(records[i]?.dynamodb?.SequenceNumber) })) : [],
    );
    try {
      await until(() => batches.length >= 2 && poller.processed === 5);
      expect(batches.slice(0, 2)).toEqual([
        ['ITEM#0', 'ITEM#1', 'ITEM#2', 'ITEM#3', 'ITEM#4'],
        ['ITEM#2', 'ITEM#3', 'ITEM#4'],
      ]);
    } finally {
      await poller.stop();
    }
  });

  it('delivers the whole batch again when the response names a record that is not in it', async () => {
    const { batches, poller } = await streamWith(3, (records, call) =>
      call === 1
        ? [{ itemIdentifier: String(records[2]?.dynamodb?.SequenceNumber) }, { itemIdentifier: '42' }]
        : [],
    );
    try {
      await until(() => batches.length >= 2 && poller.processed === 3);
      expect(batches.slice(0, 2)).toEqual([
        ['ITEM#0', 'ITEM#1', 'ITEM#2'],
        ['ITEM#0', 'ITEM#1', 'ITEM#2'],
      ]);
    } finally {
      await poller.stop();
    }
  });
});

describe('the local queue poller', () => {
  let messaging: LocalMessaging;
  let sqs: SQSClient;

  beforeAll(async () => {
    messaging = await testMessaging();
    sqs = new SQSClient({ ...LOCAL_AWS, endpoint: messaging.endpoint });
  });
  afterAll(async () => {
    await messaging.stop();
  });

  /** A queue whose failed messages come back after one second, with `bodies` waiting in it. */
  async function queueWith(bodies: string[]) {
    const name = `poller-${randomBytes(4).toString('hex')}`;
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '1' } }),
    );
    for (const body of bodies) await messaging.sqs.send(String(QueueUrl), body);
    return { url: String(QueueUrl), arn: `arn:aws:sqs:${LOCAL_AWS.region}:000000000000:${name}` };
  }

  function pollerFor(
    queue: { url: string; arn: string },
    answer: (batch: SQSRecord[], call: number) => { itemIdentifier: string }[],
  ) {
    const deliveries: string[] = [];
    let calls = 0;
    const poller = new QueuePoller({
      name: 'test',
      sqs: () => messaging.sqs,
      queue,
      handler: async (event) => {
        deliveries.push(...event.Records.map((r) => r.body));
        return { batchItemFailures: answer(event.Records, ++calls) };
      },
      log: () => {},
    });
    poller.start();
    return { deliveries, poller };
  }

  const count = (list: string[], body: string) => list.filter((b) => b === body).length;

  it('deletes the messages that succeeded and brings back only the one reported as failed', async () => {
    const queue = await queueWith(['a', 'b', 'c']);
    let failedB = false;
    const { deliveries, poller } = pollerFor(queue, (records) => {
      // "b" fails the first time it is delivered.
      const b = records.find((r) => r.body === 'b');
      if (!b || failedB) return [];
      failedB = true;
      return [{ itemIdentifier: b.messageId }];
    });
    try {
      await until(() => poller.processed === 3);
      expect(count(deliveries, 'b')).toBeGreaterThanOrEqual(2);
      expect(count(deliveries, 'a')).toBe(1);
      expect(count(deliveries, 'c')).toBe(1);
    } finally {
      await poller.stop();
    }
  });

  it('keeps every message of the batch when the response names a message that is not in it', async () => {
    const queue = await queueWith(['x', 'y']);
    const { deliveries, poller } = pollerFor(queue, (_records, call) =>
      call === 1 ? [{ itemIdentifier: 'not-a-message-of-this-batch' }] : [],
    );
    try {
      await until(() => poller.processed === 2);
      // What the first call saw came back again, all of it.
      const firstBatch = deliveries.slice(0, deliveries.length - 2);
      expect(firstBatch.length).toBeGreaterThan(0);
      for (const body of firstBatch) expect(count(deliveries, body)).toBe(2);
    } finally {
      await poller.stop();
    }
  });
});
