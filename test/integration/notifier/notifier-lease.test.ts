/**
 * The notifier cannot lose a message: a send killed after its claim is delivered by a later delivery once the
 * claim's lease lapses (exactly once), a delivery inside the lease fails rather than answering "already sent", a
 * Twilio request that hangs is abandoned within the function's time, and messages there is no time left for are
 * handed back. Twilio's REST API is a local stand-in answered through the real Twilio SDK; the kill is a real SIGKILL
 * of a process running the handler.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionChange } from '#functions/cases/lifecycle.ts';
import { makePlatform, type Platform, usePlatform } from '#functions/lib/platform.ts';
import { TWILIO_REQUEST_TIMEOUT_MS } from '#functions/lib/twilio.ts';
import { handler as notifier } from '#functions/notifier/handler.ts';
import { CLAIM_LEASE_MS, notifyMarkerKey } from '#functions/notifier/notify.ts';
import { localAwsClients } from '#local/dynamodb-local.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { defaultConfig } from '#shared/config/defaults.ts';
import { buildNotification } from '#shared/routing/notification.ts';
import { testDb } from '../../support/services.ts';
import { seedConfig } from '../cases/helpers.ts';

type Mode = 'accept' | 'hang';

/** Twilio's Messages API, locally: `accept` answers 201 and counts a send; `hang` takes the request and never answers. */
function fakeTwilio() {
  const state = { mode: 'accept' as Mode, sent: [] as Record<string, string>[], arrived: 0 };
  const hanging = new Set<ServerResponse>();
  const waiters: (() => void)[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      state.arrived++;
      for (const w of waiters.splice(0)) w();
      if (state.mode === 'hang') {
        hanging.add(res);
        return;
      }
      const form = Object.fromEntries(new URLSearchParams(body));
      state.sent.push(form);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          sid: `SM${randomBytes(16).toString('hex')}`,
          status: 'queued',
          to: form.To,
          body: form.Body,
        }),
      );
    });
  });
  return {
    server,
    state,
    /** Resolves when the next request has arrived. */
    nextRequest: () => new Promise<void>((r) => waiters.push(r)),
    closeHanging: () => {
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
  };
}

describe('the notifier under faults', () => {
  const twilio = fakeTwilio();
  const keys = { encryptionKey: randomBytes(32), hashKey: randomBytes(32) };
  let platform: Platform;
  let endpoint: string;
  let apiBaseUrl: string;
  let clock = new Date();

  beforeAll(async () => {
    await new Promise<void>((r) => twilio.server.listen(0, '127.0.0.1', () => r()));
    apiBaseUrl = `http://127.0.0.1:${(twilio.server.address() as AddressInfo).port}`;
    const db = await testDb();
    endpoint = db.endpoint;
    platform = makePlatform({
      stage: 'test',
      aws: localAwsClients({ dynamodb: endpoint }),
      tableName: db.tableName,
      topicArn: 'arn:aws:sns:me-central-1:000000000000:none',
      twilio: {
        accountSid: `AC${'0'.repeat(31)}1`,
        authToken: 'test-twilio-auth-token',
        messagingFrom: '+9647000000000',
        apiBaseUrl,
      },
      publicBaseUrl: 'https://cfm.example.org',
      keys,
      now: () => clock,
    });
    usePlatform(platform);
    await seedConfig(platform);
  });
  afterAll(async () => {
    usePlatform(undefined);
    twilio.closeHanging();
    await new Promise<void>((r) => twilio.server.close(() => r()));
  });

  /** A resolved case whose outcome SMS the notifier should send; the SQS body announcing it. */
  async function resolvedCase(): Promise<{ caseId: string; eventId: string; body: string }> {
    const { case: c } = await platform.cases.create({
      channel: 'sms',
      idempotencyKey: `SM${randomBytes(12).toString('hex')}`,
      narrative: 'The water tank in the camp is empty.',
      language: 'ar',
      consentToFollowUp: true,
      phone: `+96477${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`,
      category: 'C03',
      type: 'complaint',
      createdBy: { kind: 'complainant' },
    });
    const resolved = await platform.cases.mutate(c.caseId, undefined, (cur, now) =>
      transitionChange(cur, 'resolve', now, {
        actor: { kind: 'staff', id: 'u-officer', role: 'officer' },
        patch: { outcome: 'corrected' },
      }),
    );
    const event = resolved.events.find((e) => e.type === 'transition');
    if (!event) throw new Error('no transition event');
    const { message } = buildNotification(event, resolved.case, {
      consoleUrl: platform.consoleUrl,
      focalPoints: defaultConfig().focalPoints,
    });
    return { caseId: c.caseId, eventId: event.eventId, body: message };
  }
  const sqs = (body: string, n = 1): SQSEvent => ({
    Records: Array.from(
      { length: n },
      (_, i) => ({ messageId: `m-${i}`, body }) as SQSEvent['Records'][number],
    ),
  });
  const sentTo = async (caseId: string) => {
    const c = await platform.cases.mustGet(caseId);
    const to = platform.protector.decrypt(c.contact.phoneCipher as string);
    return twilio.state.sent.filter((m) => m.To === to);
  };
  const outbound = async (caseId: string) =>
    (await platform.cases.timeline(caseId)).filter((e) => e.type === 'message_out');

  it('delivers exactly once after a send was killed between its claim and Twilio’s answer', async () => {
    const { caseId, eventId, body } = await resolvedCase();
    twilio.state.mode = 'hang';
    const arrived = twilio.nextRequest();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('notifier-child.ts', import.meta.url))],
      {
        env: {
          ...process.env,
          POWERTOOLS_LOG_LEVEL: 'ERROR',
          CFM_CHILD: JSON.stringify({
            endpoint,
            tableName: platform.tableName,
            apiBaseUrl,
            encryptionKey: keys.encryptionKey.toString('base64'),
            hashKey: keys.hashKey.toString('base64'),
            body,
          }),
        },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    // The child claimed the message and its request is at Twilio: kill it there, as a function timeout would.
    await arrived;
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    twilio.closeHanging();
    const marker = await platform.db.get(platform.tableName, notifyMarkerKey(caseId, eventId), true);
    expect(marker).toMatchObject({ state: 'sending' });
    expect(await sentTo(caseId)).toHaveLength(0);

    twilio.state.mode = 'accept';
    // A redelivery inside the lease fails (the message comes back later) and sends nothing.
    clock = new Date();
    expect((await notifier(sqs(body))).batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
    expect(await sentTo(caseId)).toHaveLength(0);

    // Once the lease has lapsed, the next delivery takes the claim over and sends; later ones send nothing.
    clock = new Date(Date.now() + CLAIM_LEASE_MS + 1_000);
    expect((await notifier(sqs(body))).batchItemFailures).toEqual([]);
    expect((await notifier(sqs(body))).batchItemFailures).toEqual([]);
    expect(await sentTo(caseId)).toHaveLength(1);
    expect(await outbound(caseId)).toHaveLength(1);
    expect(await platform.db.get(platform.tableName, notifyMarkerKey(caseId, eventId), true)).toMatchObject({
      state: 'sent',
      sid: expect.stringMatching(/^SM/),
    });
  });

  it('abandons a Twilio request that hangs, within the function’s time, and sends on the redelivery', async () => {
    const { caseId, body } = await resolvedCase();
    clock = new Date();
    twilio.state.mode = 'hang';
    const res = await notifier(sqs(body), lambdaContext('notifier', 10_000));
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
    // Twilio never answered: the request's own timeout ended it, and the message was handed back.
    expect(TWILIO_REQUEST_TIMEOUT_MS).toBeLessThan(10_000);
    twilio.closeHanging();

    twilio.state.mode = 'accept';
    expect((await notifier(sqs(body))).batchItemFailures).toEqual([]);
    expect(await sentTo(caseId)).toHaveLength(1);
  });

  it('hands back the messages there is no time left for, sending none of them', async () => {
    const { caseId, body } = await resolvedCase();
    twilio.state.mode = 'accept';
    const res = await notifier(sqs(body, 3), lambdaContext('notifier', 3_000));
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m-0', 'm-1', 'm-2']);
    expect(await sentTo(caseId)).toHaveLength(0);
  });
});
