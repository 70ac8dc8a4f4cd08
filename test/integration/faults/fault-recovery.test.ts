/**
 * Faults in the middle of a burst, and what holds once they are over. The local stack (its HTTP API, stream
 * consumers, notifier and focal-point inboxes) runs here on the tier's DynamoDB Local with:
 * - the SNS/SQS emulator stopped for the second half of an SMS burst, and started again once every case of that
 *   half is stored. A real outage, not the local clock (the stream pollers' back-off runs on real time): it lasts
 *   as long as the second half takes to be taken in with its writes throttled, 60-80 s on the development machine
 *   under load, rather than a set minute, so a quicker machine finishes sooner. The emulator keeps nothing on
 *   disk, so it is stopped with its queues drained: what SQS holds through an outage in AWS, fauxqs would lose;
 * - DynamoDB writes throttled for a while: the one fault DynamoDB Local cannot cause, so a middleware on the
 *   platform's SDK client answers its next writes with ProvisionedThroughputExceededException, inside the SDK's
 *   retries, as DynamoDB would;
 * - Twilio's REST API, a local server the real Twilio SDK talks to, answering 500 and 429 until the notifier's
 *   messages are dead-lettered, then 429 a few times more before it recovers.
 * Afterwards every case is routed and its focal points notified once per event, every outcome SMS is sent once per
 * case event (the notifier's idempotency key), and the dead letters are counted and replayed with the command the
 * README prints (`npm run dlq -- --list`, `npm run dlq -- --replay notifier`).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { transitionChange } from '#functions/cases/lifecycle.ts';
import { LOCAL_TWILIO, type LocalStack, startLocalStack } from '#local/stack.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';
import { stackDriver, until } from './support.ts';

type TwilioMode = { kind: 'accept' } | { kind: 'failing' } | { kind: 'refuse-then-accept'; left: number };

/** Twilio's Messages API, locally: counts what it accepted; failing answers alternate 500 and 429. */
function fakeTwilio() {
  const state = {
    mode: { kind: 'accept' } as TwilioMode,
    accepted: [] as Record<string, string>[],
    refused: { 500: 0, 429: 0 } as Record<500 | 429, number>,
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const refuse = (status: 500 | 429) => {
        state.refused[status]++;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            status === 429
              ? { code: 20429, message: 'Too Many Requests', status }
              : { code: 20500, message: 'Internal Server Error', status },
          ),
        );
      };
      const mode = state.mode;
      if (mode.kind === 'failing') return refuse((state.refused[500] + state.refused[429]) % 2 ? 429 : 500);
      if (mode.kind === 'refuse-then-accept' && mode.left > 0) {
        mode.left--;
        return refuse(429);
      }
      const form = Object.fromEntries(new URLSearchParams(body));
      state.accepted.push(form);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued', to: form.To }));
    });
  });
  return { server, state };
}

const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
]);

describe('a burst through an SNS/SQS outage, throttled DynamoDB writes and a failing Twilio', () => {
  const twilio = fakeTwilio();
  let stack: LocalStack;
  const throttle = { left: 0, thrown: 0 };
  const phones = Array.from({ length: 16 }, (_, i) => `+9647705${String(100_000 + i).padStart(6, '0')}`);
  const cases = new Map<string, Case>();
  const driver = stackDriver(() => stack);
  const { settle, caseOf, notifications: routedNotifications, smsTarget: target } = driver;
  const dlq = async (...args: string[]) => (await driver.dlq(...args)).stdout;

  /** One SMS, posted again with the same MessageSid while the webhook answers 5xx, as Twilio's retry would. */
  const text = async (from: string, body: string) => {
    const messageSid = `SM${randomBytes(16).toString('hex')}`;
    const statuses: number[] = [];
    for (;;) {
      const out = await sendSms(target(), { from, to: LOCAL_TWILIO.messagingFrom, body, messageSid });
      statuses.push(out.status);
      if (out.status < 500) return statuses;
      if (statuses.length > 50) throw new Error(`the webhook kept failing: ${statuses.join(',')}`);
    }
  };
  const notifierDlqDepth = async () => {
    const d = await stack.messaging.sqs.depth(stack.messaging.queues.notifierDlq.url);
    return d.visible + d.inFlight + d.delayed;
  };
  const resolve = async (c: Case) =>
    stack.platform.cases.mutate(c.caseId, undefined, (cur, at) =>
      transitionChange(cur, 'resolve', at, {
        actor: { kind: 'staff', id: 'local-officer', role: 'officer' },
        patch: { outcome: 'corrected', outcomeMessage: 'The distribution list was corrected.' },
      }),
    );
  const sentTo = (phone: string) => twilio.state.accepted.filter((m) => m.To === phone);

  beforeAll(async () => {
    await new Promise<void>((r) => twilio.server.listen(0, '127.0.0.1', () => r()));
    stack = await startLocalStack({
      dynamoEndpoint: inject('dynamoEndpoint'),
      stage: `fault${randomBytes(3).toString('hex')}`,
      twilioApiBaseUrl: `http://127.0.0.1:${(twilio.server.address() as AddressInfo).port}`,
      notifierVisibilityTimeoutSeconds: 1,
      sweepEveryMs: 3_600_000,
      retentionEveryMs: 3_600_000,
      log: () => {},
    });
    // DynamoDB's throttling, which DynamoDB Local never answers: inside the SDK's retry loop, as the service would.
    stack.platform.db.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (throttle.left > 0 && WRITE_COMMANDS.has(String(context.commandName))) {
          throttle.left--;
          throttle.thrown++;
          throw new ProvisionedThroughputExceededException({
            message: 'The level of configured provisioned throughput for the table was exceeded.',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return next(args);
      },
      { step: 'finalizeRequest', name: 'simulatedWriteThrottle' },
    );
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    await new Promise<void>((r) => twilio.server.close(() => r()));
  });

  it('routes every case of the burst once the emulator is back, notifying each focal point once', async () => {
    const body = (i: number) => `لم نستلم المساعدة النقدية منذ شهرين في حي ${i} في الموصل`;
    const [first, second] = [phones.slice(0, 8), phones.slice(8)];
    await Promise.all(first.map((p, i) => text(p, body(i))));
    await settle();

    await stack.stopMessaging();
    throttle.left = 40;
    const statuses = await Promise.all(second.map((p, i) => text(p, body(8 + i))));
    for (const phone of phones) cases.set(phone, await until(`a case for ${phone}`, () => caseOf(phone)));
    expect(throttle.thrown).toBeGreaterThan(0);
    // Nothing of the second half reached a focal point while the emulator was down.
    for (const phone of second) expect(routedNotifications(cases.get(phone)!.caseId)).toEqual([]);
    await stack.startMessaging();
    await settle();

    expect(statuses.flat().every((s) => s === 200 || s >= 500)).toBe(true);
    for (const phone of phones) {
      const c = await stack.platform.cases.mustGet(cases.get(phone)!.caseId);
      cases.set(phone, c);
      expect(c.routing?.focalPoints.length, phone).toBeGreaterThan(0);
      const notified = routedNotifications(c.caseId);
      expect(notified.length, phone).toBeGreaterThan(0);
      // Once per focal point and routing event: no duplicate from the router's retries.
      const keys = notified.map((n) => `${n.focalPointId}|${(n.message as { eventId: string }).eventId}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
    const counts = JSON.parse(
      (await dlq('--list', '--json')).split('\n').find((l) => l.startsWith('{'))!,
    ) as {
      dlqs: { name: string; messages: number }[];
    };
    expect(counts.dlqs.filter((d) => d.messages > 0)).toEqual([]);
  }, 900_000);

  it('sends every outcome SMS once through Twilio’s 500s and 429s, after replaying what was dead-lettered', async () => {
    const [groupA, groupB] = [phones.slice(0, 4), phones.slice(4, 8)];
    twilio.state.mode = { kind: 'failing' };
    for (const phone of groupA) await resolve(cases.get(phone)!);
    // Five deliveries each, all refused: the queue's redrive policy moves the four to the notifier's DLQ.
    await until('four messages in notifier-dlq', async () =>
      (await notifierDlqDepth()) === 4 ? true : undefined,
    );
    expect(twilio.state.refused[500]).toBeGreaterThan(0);
    expect(twilio.state.refused[429]).toBeGreaterThan(0);
    expect(twilio.state.accepted).toEqual([]);

    twilio.state.mode = { kind: 'refuse-then-accept', left: 3 };
    for (const phone of groupB) await resolve(cases.get(phone)!);
    await settle();
    for (const phone of groupB) expect(sentTo(phone), phone).toHaveLength(1);
    for (const phone of groupA) expect(sentTo(phone), phone).toEqual([]);

    const listed = await dlq('--list');
    expect(listed).toMatch(/notifier-dlq\s+4\s+replay: npm run dlq -- --replay notifier/);
    expect(listed).toMatch(/total\s+4/);
    expect(await dlq('--replay', 'notifier')).toContain(
      'notifier-dlq: 4 of 4 message(s) moved back to its queue',
    );
    await settle();

    for (const phone of [...groupA, ...groupB]) {
      expect(sentTo(phone), phone).toHaveLength(1);
      const timeline = await stack.platform.cases.timeline(cases.get(phone)!.caseId);
      expect(
        timeline.filter((e) => e.type === 'message_out'),
        phone,
      ).toHaveLength(1);
    }
    // The cases nobody resolved got nothing.
    for (const phone of phones.slice(8)) expect(sentTo(phone), phone).toEqual([]);
    expect(await dlq('--list')).toMatch(/total\s+0/);
    // Nothing reached a stream consumer's DLQ: replaying one says so (test/integration/faults/dlq-replay.test.ts
    // replays one that holds a record).
    await expect(dlq('--replay', 'router')).rejects.toMatchObject({
      code: 3,
      stderr: expect.stringContaining('router-dlq is empty: nothing to replay'),
    });
  }, 900_000);
});
