/**
 * The schedules' DLQ, which exists only in AWS: Lambda's on-failure records of the sweeper's and retention's runs,
 * and Scheduler's dead-letter events, in a queue of the SNS/SQS emulator read through the SDK's client. A replay
 * invokes the function the message names, once; Lambda's Invoke, which has no emulator here, is a stand-in that
 * records the calls and answers as the function would.
 */
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AWS } from '#local/dynamodb-local.ts';
import type { LocalMessaging } from '#local/messaging.ts';
import { findStageDlqs, peekDlq, pickDlq, replayDlq } from '../../../scripts/lib/dlq.ts';
import type { Invoker } from '../../../scripts/lib/dlq-invoke.ts';
import { testMessaging } from '../../support/services.ts';

const fn = (name: string) => `arn:aws:lambda:${LOCAL_AWS.region}:000000000000:function:cfm-test-${name}`;

/** Lambda's on-failure record of an asynchronous invocation. */
const runFailed = (functionArn: string, requestPayload: unknown) => ({
  version: '1.0',
  timestamp: new Date().toISOString(),
  requestContext: {
    requestId: 'e3a1b7c2-0d4f-4b8e-9a51-6c2f7d9e1a00',
    functionArn: `${functionArn}:$LATEST`,
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload,
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: { errorType: 'ProvisionedThroughputExceededException', errorMessage: 'Rate exceeded' },
});

describe('the schedules’ DLQ, replayed', () => {
  let messaging: LocalMessaging;
  let sqs: SQSClient;
  let queueUrl: string;

  beforeAll(async () => {
    messaging = await testMessaging();
    sqs = new SQSClient({ ...LOCAL_AWS, endpoint: messaging.endpoint });
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'cfm-test-schedules-dlq' }))).QueueUrl!;
  });
  afterAll(async () => {
    await messaging?.stop();
  });

  it('invokes the sweeper or retention run each message names, once, and leaves what names anything else', async () => {
    const scheduled = {
      source: 'aws.scheduler',
      'detail-type': 'Scheduled Event',
      time: '2026-12-03T10:00:00Z',
    };
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(runFailed(fn('sweeper'), scheduled)),
      }),
    );
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(runFailed(fn('cases'), scheduled)),
      }),
    );
    // Scheduler's own dead-letter event: the target's input, the target and the error as attributes.
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: '{}',
        MessageAttributes: {
          TARGET_ARN: { DataType: 'String', StringValue: fn('retention') },
          ERROR_CODE: { DataType: 'String', StringValue: 'AWS.Lambda.TooManyRequestsException' },
        },
      }),
    );
    const dlq = pickDlq(await findStageDlqs(sqs, 'test'), 'schedules');
    expect(dlq.kind).toBe('schedule');

    const listed = await peekDlq(sqs, dlq);
    expect(listed.map((m) => `${m.reason} | ${m.about}`).sort()).toEqual([
      'AWS.Lambda.TooManyRequestsException | a scheduled run of cfm-test-retention',
      'RetriesExhausted, ProvisionedThroughputExceededException | a run of cfm-test-cases',
      'RetriesExhausted, ProvisionedThroughputExceededException | a run of cfm-test-sweeper',
    ]);

    const calls: { worker: string; event: unknown }[] = [];
    const lambda: Invoker = async (worker, event) => {
      calls.push({ worker, event });
      return { batchItemFailures: [] };
    };
    const result = await replayDlq({ sqs, invoke: lambda, stage: 'test' }, dlq);
    expect(result.found).toBe(3);
    expect(result.replayed).toBe(2);
    expect(result.left).toEqual([
      {
        messageId: expect.any(String),
        why: "names cfm-test-cases, which is not this stage's sweeper or retention",
      },
    ]);
    expect(calls.sort((a, b) => a.worker.localeCompare(b.worker))).toEqual([
      { worker: 'retention', event: {} },
      { worker: 'sweeper', event: scheduled },
    ]);
    const [count] = await peekDlq(sqs, dlq);
    expect(count?.about).toBe('a run of cfm-test-cases');

    // A run that fails again stays in the DLQ.
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(runFailed(fn('sweeper'), scheduled)),
      }),
    );
    const failing: Invoker = async () => ({ functionError: 'Unhandled: Error', batchItemFailures: [] });
    const again = await replayDlq({ sqs, invoke: failing, stage: 'test' }, dlq);
    expect(again.replayed).toBe(0);
    expect(again.left.map((l) => l.why).sort()).toEqual([
      "names cfm-test-cases, which is not this stage's sweeper or retention",
      'the function failed again (Unhandled: Error)',
    ]);
    expect(await peekDlq(sqs, dlq)).toHaveLength(2);
  });
});
