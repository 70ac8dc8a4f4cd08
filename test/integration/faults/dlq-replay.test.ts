/**
 * A stream consumer's dead letters replayed, locally and in AWS's shape. The local stack runs here on the tier's
 * DynamoDB Local and the SNS/SQS emulator, and the router really fails: a damaged routing rule in the table (as an
 * older version or a hand edit could leave one) makes the router's configuration read fail loudly, so a new case's
 * record is tried eight times and dead-lettered. Once the rule is removed:
 * - locally, `npm run dlq -- --list` and `npm run dlq -- --replay router`, run as README prints them, hand the
 *   record to the router again: the case is routed, each focal point notified once, the DLQ is empty, and a second
 *   replay has nothing to do;
 * - in AWS's shape, the DLQ holds Lambda's on-failure record (DDBStreamBatchInfo) built from the real stream's
 *   shard and sequence numbers: the replay reads the record again from DynamoDB Local's Streams API and invokes the
 *   router with it. Lambda's Invoke, which has no emulator here, is the one stand-in: it records the call and hands
 *   the event to the local stack's router, the handler Lambda would run.
 */
import { randomBytes } from 'node:crypto';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_AWS } from '#local/dynamodb-local.ts';
import { LOCAL_TWILIO, type LocalStack, startLocalStack } from '#local/stack.ts';
import { streamArnOf } from '#local/stream-poller.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { raiseConfigGeneration } from '#shared/config/config-store.ts';
import {
  findStageDlqs,
  NothingToReplayError,
  pickDlq,
  type ReplayDeps,
  replayDlq,
} from '../../../scripts/lib/dlq.ts';
import { type Invoker, localInvoker } from '../../../scripts/lib/dlq-invoke.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import { stackDriver, until } from './support.ts';

const DAMAGED_RULE = { pk: 'CONFIG#routing-rule', sk: 'zz-damaged' };

describe('a stream consumer’s dead letters, replayed', () => {
  let stack: LocalStack;
  let sqs: SQSClient;
  const {
    devToken,
    settle,
    dlq,
    caseOf,
    notifications: routedNotifications,
    smsTarget: target,
  } = stackDriver(() => stack);

  const routerDlqDepth = async () => {
    const d = await stack.messaging.sqs.depth(stack.messaging.queues.routerDlq.url);
    return d.visible + d.inFlight + d.delayed;
  };
  // A record damaged outside the configuration store (which would refuse it), then the generation raised as
  // docs/architecture.md asks of such edits, so that the router, which keeps the configuration, reads it again.
  const damageRouting = async () => {
    await stack.platform.db.put({
      TableName: stack.platform.tableName,
      Item: { ...DAMAGED_RULE, entity: 'config', record: { ruleId: 'zz-damaged' } },
    });
    await raiseConfigGeneration(stack.platform.db, stack.platform.tableName);
  };
  const repairRouting = async () => {
    await stack.platform.db.delete({ TableName: stack.platform.tableName, Key: DAMAGED_RULE });
    await raiseConfigGeneration(stack.platform.db, stack.platform.tableName);
  };

  /** An SMS whose case the router cannot route while the rule is damaged: resolves once it is dead-lettered. */
  const unroutedCase = async (phone: string, text: string): Promise<Case> => {
    const before = await routerDlqDepth();
    await damageRouting();
    const out = await sendSms(target(), {
      from: phone,
      to: LOCAL_TWILIO.messagingFrom,
      body: text,
      messageSid: `SM${randomBytes(16).toString('hex')}`,
    });
    expect(out.status).toBe(200);
    const c = await until(`a case for ${phone}`, () => caseOf(phone));
    // Eight attempts with the stream poller's back-off: about 50 s of real time.
    await until('the case record in router-dlq', async () =>
      (await routerDlqDepth()) > before ? true : undefined,
    );
    return c;
  };

  beforeAll(async () => {
    stack = await startLocalStack({
      dynamoEndpoint: inject('dynamoEndpoint'),
      stage: `dlq${randomBytes(3).toString('hex')}`,
      sweepEveryMs: 3_600_000,
      retentionEveryMs: 3_600_000,
      log: () => {},
    });
    sqs = new SQSClient({ ...LOCAL_AWS, endpoint: stack.messaging.endpoint });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('replays the local dead letter with the README’s command: routed once, then nothing left to replay', async () => {
    const phone = '+9647705300001';
    const text = 'لم نستلم المساعدة النقدية منذ شهرين في الموصل';
    const c = await unroutedCase(phone, text);
    expect(await routerDlqDepth()).toBe(1);
    await repairRouting();
    await settle();
    expect((await stack.platform.cases.mustGet(c.caseId)).routing).toBeUndefined();
    expect(routedNotifications(c.caseId)).toEqual([]);

    const listed = (await dlq('--list')).stdout;
    expect(listed).toMatch(/router-dlq\s+1\s+replay: npm run dlq -- --replay router/);
    // Each message: its reason, its age and the record's keys; never the number or the words of the complaint.
    expect(listed).toMatch(/(reported as failed|threw \w+) +INSERT pk=CASE#\S+ sk=CASE \(sequence \d+\)/);
    expect(listed).toContain(c.caseId);
    expect(listed).not.toContain(phone.slice(1));
    expect(listed).not.toContain(text);
    const asJson = JSON.parse((await dlq('--list', '--json')).stdout) as {
      dlqs: { name: string; messages: number; items: { reason: string; ageSeconds: number }[] }[];
    };
    const router = asJson.dlqs.find((d) => d.name === 'router-dlq');
    expect(router?.messages).toBe(1);
    expect(router?.items[0]?.ageSeconds).toBeGreaterThanOrEqual(0);

    const replayed = await dlq('--replay', 'router');
    expect(replayed.stdout).toContain('router-dlq: 1 of 1 message(s) replayed');
    await settle();

    const routed = await stack.platform.cases.mustGet(c.caseId);
    expect(routed.routing?.focalPoints.length).toBeGreaterThan(0);
    const notified = routedNotifications(c.caseId);
    expect(notified.map((n) => n.focalPointId).sort()).toEqual(
      [...(routed.routing?.focalPoints ?? [])].sort(),
    );
    expect(await routerDlqDepth()).toBe(0);

    await expect(dlq('--replay', 'router')).rejects.toMatchObject({
      code: 3,
      stderr: expect.stringContaining('router-dlq is empty: nothing to replay'),
    });
    await settle();
    expect(routedNotifications(c.caseId)).toHaveLength(notified.length);
  }, 900_000);

  it('says what is wrong with bad arguments, with a non-zero status and no stack trace', async () => {
    await expect(dlq('--replay', 'nosuch')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        'dlq: No DLQ called nosuch in this stage; it has notifier-dlq, router-dlq',
      ),
    });
    await expect(dlq('--list', '--replay', 'router')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage: npm run dlq --'),
    });
    await expect(dlq('--replay')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--replay needs a DLQ's name"),
    });
    for (const args of [['--replay', 'nosuch'], ['--replay']]) {
      const failed = await dlq(...args).catch((err: { stderr: string }) => err);
      expect((failed as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
    }
  }, 120_000);

  it('reads an AWS on-failure record’s batch again from the stream and invokes the router with it, once', async () => {
    const phone = '+9647705300002';
    const c = await unroutedCase(phone, 'لم يتم تسجيلنا في قائمة التوزيع في تلعفر');
    // The local dead letter goes; in its place, what Lambda's event source mapping would have sent.
    const [local] = await stack.messaging.sqs.receive(stack.messaging.queues.routerDlq.url, 1, 1);
    await stack.messaging.sqs.delete(stack.messaging.queues.routerDlq.url, local!.ReceiptHandle);

    await repairRouting();
    await settle();
    expect((await stack.platform.cases.mustGet(c.caseId)).routing).toBeUndefined();
    // A case the router took meanwhile: the replayed batch ends on it, as a batch holding both would.
    const phone3 = '+9647705300003';
    await sendSms(target(), {
      from: phone3,
      to: LOCAL_TWILIO.messagingFrom,
      body: 'نحتاج إلى خزان ماء في القرية',
      messageSid: `SM${randomBytes(16).toString('hex')}`,
    });
    await settle();
    const other = await stack.platform.cases.mustGet((await caseOf(phone3))!.caseId);
    expect(other.routing?.focalPoints.length).toBeGreaterThan(0);
    const otherNotified = routedNotifications(other.caseId).length;
    expect(otherNotified).toBe(other.routing?.focalPoints.length);

    const streamArn = await streamArnOf(stack.dynamo.db, stack.platform.tableName);
    const inserted = (caseId: string) => (r: StreamRecord) =>
      r.dynamodb?.Keys?.pk?.S === `CASE#${caseId}` &&
      r.dynamodb.Keys.sk?.S === 'CASE' &&
      r.eventName === 'INSERT';
    const { shardId, records: shard } = await shardHolding(stack, streamArn, inserted(c.caseId));
    const first = shard.find(inserted(c.caseId))!;
    const last = shard.find(inserted(other.caseId));
    expect(last, 'both cases on one shard of DynamoDB Local').toBeDefined();
    const seq = (r: StreamRecord) => BigInt(r.dynamodb!.SequenceNumber!);
    const between = shard.filter((r) => seq(r) >= seq(first) && seq(r) <= seq(last!));
    // What the router's event filter passes (infra: case items and timeline events, inserted or changed).
    const batch = between.filter(
      (r) =>
        (r.eventName === 'INSERT' || r.eventName === 'MODIFY') &&
        ['case', 'event'].includes(r.dynamodb?.NewImage?.entity?.S ?? ''),
    );
    expect(batch.length).toBeLessThan(between.length);
    const at = (r: StreamRecord) => r.dynamodb!.ApproximateCreationDateTime!.toISOString();
    const onFailure = (writtenAt: string) => ({
      requestContext: {
        requestId: randomBytes(16).toString('hex'),
        functionArn: `arn:aws:lambda:${LOCAL_AWS.region}:000000000000:function:cfm-test-router`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 9,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: first.dynamodb!.SequenceNumber!,
        endSequenceNumber: last!.dynamodb!.SequenceNumber!,
        approximateArrivalOfFirstRecord: writtenAt,
        approximateArrivalOfLastRecord: at(last!),
        batchSize: batch.length,
        streamArn,
      },
    });
    const routerDlq = stack.messaging.queues.routerDlq.url;
    await sqs.send(
      new SendMessageCommand({ QueueUrl: routerDlq, MessageBody: JSON.stringify(onFailure(at(first))) }),
    );

    const calls: { worker: string; sequences: string[]; keys: string[]; sources: string[] }[] = [];
    const toRouter = localInvoker(stack.url, await devToken());
    const lambda: Invoker = async (worker, event) => {
      const records = (
        event as {
          Records: {
            eventSourceARN: string;
            dynamodb: { SequenceNumber: string; Keys: { pk: { S: string } } };
          }[];
        }
      ).Records;
      calls.push({
        worker,
        sequences: records.map((r) => r.dynamodb.SequenceNumber),
        keys: records.map((r) => r.dynamodb.Keys.pk.S),
        sources: records.map((r) => r.eventSourceARN),
      });
      return toRouter(worker, event);
    };
    const deps: ReplayDeps = {
      sqs,
      streams: stack.dynamo.streams,
      invoke: lambda,
      stage: stack.platform.stage,
    };
    const dlqs = await findStageDlqs(sqs, stack.platform.stage);

    const result = await replayDlq(deps, pickDlq(dlqs, 'router'));
    expect(result).toEqual({ dlq: 'router-dlq', found: 1, replayed: 1, alreadySent: 0, left: [] });
    expect(calls).toEqual([
      {
        worker: 'router',
        sequences: batch.map((r) => r.dynamodb!.SequenceNumber),
        keys: batch.map((r) => r.dynamodb!.Keys!.pk!.S),
        sources: batch.map(() => streamArn),
      },
    ]);
    expect(calls[0]?.keys).toContain(`CASE#${c.caseId}`);
    expect(calls[0]?.keys).toContain(`CASE#${other.caseId}`);
    await settle();
    const routed = await stack.platform.cases.mustGet(c.caseId);
    expect(routed.routing?.focalPoints.length).toBeGreaterThan(0);
    expect(
      routedNotifications(c.caseId)
        .map((n) => n.focalPointId)
        .sort(),
    ).toEqual([...(routed.routing?.focalPoints ?? [])].sort());
    // The case the router had already taken is not routed or announced again.
    expect(routedNotifications(other.caseId)).toHaveLength(otherNotified);
    expect(await routerDlqDepth()).toBe(0);
    await expect(replayDlq(deps, pickDlq(dlqs, 'router'))).rejects.toBeInstanceOf(NothingToReplayError);
    expect(calls).toHaveLength(1);

    // Past the stream's 24 hours the records are gone: the message stays, and the replay says why.
    const dayOld = new Date(Date.now() - 25 * 3_600_000).toISOString();
    await sqs.send(
      new SendMessageCommand({ QueueUrl: routerDlq, MessageBody: JSON.stringify(onFailure(dayOld)) }),
    );
    const stale = await replayDlq(deps, pickDlq(dlqs, 'router'));
    expect(stale.replayed).toBe(0);
    expect(stale.left).toHaveLength(1);
    expect(stale.left[0]?.why).toContain('DynamoDB Streams keeps records 24 hours');
    expect(calls).toHaveLength(1);
    expect(await routerDlqDepth()).toBe(1);
  }, 900_000);
});

/** Every record of the stream's shard that holds a matching record: DynamoDB Local's real sequence numbers. */
async function shardHolding(
  stack: LocalStack,
  streamArn: string,
  matches: (r: StreamRecord) => boolean,
): Promise<{ shardId: string; records: StreamRecord[] }> {
  const streams = stack.dynamo.streams;
  const shards =
    (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ?? [];
  for (const { ShardId } of shards) {
    const records: StreamRecord[] = [];
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
      )
    ).ShardIterator;
    let empty = 0;
    while (iterator && empty < 3) {
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      records.push(...(out.Records ?? []));
      empty = out.Records?.length ? 0 : empty + 1;
      iterator = out.NextShardIterator;
    }
    if (ShardId && records.some(matches)) return { shardId: ShardId, records };
  }
  throw new Error('no such record in the stream');
}
