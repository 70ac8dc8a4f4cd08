import { randomBytes } from 'node:crypto';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { handler as adminHandler } from '#functions/admin/handler.ts';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import { routerFor } from '#functions/router/handler.ts';
import { makeSweeper } from '#functions/sweeper/sweep.ts';
import { localStreamsClient } from '#local/dynamodb-local.ts';
import type { LocalMessaging } from '#local/messaging.ts';
import { type BatchResponse, StreamPoller } from '#local/stream-poller.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { configKey } from '#shared/config/config-store.ts';
import { topology } from '#shared/messaging/topology.ts';
import { testMessaging, testPlatform } from '../../support/services.ts';
import { call, observeTopic, seedConfig } from './helpers.ts';

/** The router on the table's stream, as the local stack runs it: it routes new cases and publishes their events. */
function startRouter(platform: Platform) {
  const route = routerFor(platform);
  const poller = new StreamPoller({
    name: 'router',
    db: platform.db,
    streams: localStreamsClient(inject('dynamoEndpoint')),
    tableName: platform.tableName,
    batchSize: topology.streamConsumers.router.batchSize,
    maxRetries: topology.streamConsumers.router.maxRetries,
    handler: (e: DynamoDBStreamEvent) => route(e) as Promise<BatchResponse>,
    deadLetter: async () => {
      throw new Error('a router record failed');
    },
    idleMs: 20,
    log: () => {},
  });
  poller.start();
  return {
    async settle(): Promise<void> {
      if (!(await poller.caughtUp(30_000))) throw new Error('the router did not catch up');
    },
    stop: () => poller.stop(),
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const RECEIVED = '2026-03-01T06:00:00.000Z'; // Sunday 09:00 in Baghdad
let clock = new Date(RECEIVED);

describe('SLA sweeper against DynamoDB Local and the SNS emulator', () => {
  let platform: Platform;
  let messaging: LocalMessaging;
  let router: ReturnType<typeof startRouter>;

  const newCase = async (extra: Partial<Parameters<Platform['cases']['create']>[0]> = {}) =>
    (
      await platform.cases.create({
        channel: 'sms',
        idempotencyKey: `SM${randomBytes(12).toString('hex')}`,
        narrative: 'test case',
        language: 'ar',
        receivedAt: RECEIVED,
        createdBy: { kind: 'complainant' },
        ...extra,
      })
    ).case;

  const setCase = (caseId: string, patch: (c: Case) => Partial<Case>) =>
    platform.cases.mutate(caseId, undefined, (c) => ({ next: { ...c, ...patch(c) }, events: [] }));

  beforeAll(async () => {
    messaging = await testMessaging();
    platform = await testPlatform({ messaging, now: () => clock });
    await seedConfig(platform);
    router = startRouter(platform);
  });
  afterAll(async () => {
    await router?.stop();
    await messaging.stop();
  });

  it('escalates each level once per case while sweepers race each other and the router publishes', async () => {
    const observer = await observeTopic(messaging, 'observer-escalations');
    clock = new Date(RECEIVED);
    const cases = await Promise.all(
      Array.from({ length: 8 }, () => newCase({ sensitivity: 'S3', category: 'C07' })),
    );
    await router.settle();
    const ids = cases.map((c) => c.caseId);
    for (const id of ids) {
      // Routed to the PSEA focal point under the S3 policy: a first staff response within 1 hour.
      expect(await platform.cases.mustGet(id)).toMatchObject({
        routing: { focalPoints: ['psea-focal-point'] },
        sla: { policyId: 's3', acknowledgeBy: '2026-03-01T07:00:00.000Z', escalated: [] },
      });
    }
    const options = { noAnswerAfterMs: 72 * HOUR };
    const sweepTogether = async (n: number) => {
      const reports = await Promise.all(
        Array.from({ length: n }, () => makeSweeper(platform, options).run()),
      );
      await router.settle();
      return reports;
    };

    // A minute after arrival nothing is overdue.
    clock = new Date(Date.parse(RECEIVED) + 1 * MINUTE);
    expect((await sweepTogether(3)).map((r) => r.escalations)).toEqual([0, 0, 0]);

    // Six hours after arrival (five past the missed first response): the focal point (at once) and the
    // supervisor (after 4 h) are due, the programme manager (after 12 h) not yet. Three sweepers, twice.
    clock = new Date(Date.parse(RECEIVED) + 6 * HOUR);
    const first = [...(await sweepTogether(3)), ...(await sweepTogether(3))];
    expect(first.reduce((n, r) => n + r.escalations, 0)).toBe(2 * ids.length);
    for (const id of ids) {
      expect((await platform.cases.mustGet(id)).sla?.escalated).toEqual([
        'acknowledge:focal_point',
        'acknowledge:supervisor',
      ]);
    }
    let published = (await observer.drain()).filter(
      (m) => ids.includes(m.body.caseId) && m.attributes.eventType === 'escalated',
    );
    for (const id of ids) {
      const escalations = (await platform.cases.timeline(id)).filter((e) => e.type === 'escalated');
      // One event per level (both fired at the same instant, so their timeline order is not defined) ...
      expect(escalations.map((e) => String(e.data?.level)).sort()).toEqual(['focal_point', 'supervisor']);
      // ... and each announced exactly once: counted, not collected into a set.
      const mine = published.filter((m) => m.body.caseId === id);
      expect(mine.map((m) => m.body.eventId).sort()).toEqual(escalations.map((e) => e.eventId).sort());
      expect(mine.map((m) => m.attributes.focalPoints).sort()).toEqual([
        '["cfm-supervisor"]',
        '["psea-focal-point"]',
      ]);
      for (const m of mine) expect(JSON.stringify(m.body)).not.toContain('test case');
    }

    clock = new Date(Date.parse(RECEIVED) + 14 * HOUR);
    await sweepTogether(4);
    await sweepTogether(2);
    published = (await observer.drain()).filter(
      (m) => ids.includes(m.body.caseId) && m.attributes.eventType === 'escalated',
    );
    expect(published.map((m) => m.attributes.focalPoints)).toEqual(ids.map(() => '["programme-manager"]'));
    expect(new Set(published.map((m) => m.body.caseId)).size).toBe(ids.length);
    for (const id of ids) {
      expect((await platform.cases.timeline(id)).filter((e) => e.type === 'escalated')).toHaveLength(3);
    }
  });

  it('reads a policy stored with a zero target (data from before) as the design has it: nothing overdue on arrival', async () => {
    // The S2 policy as an earlier seed wrote it, straight into the table: "acknowledged at once" as zero minutes.
    await platform.db.put({
      TableName: platform.tableName,
      Item: {
        ...configKey('sla-policy', 's2'),
        kind: 'sla-policy',
        updatedAt: RECEIVED,
        record: {
          id: 's2',
          name: 'S2: fraud, staff misconduct, data breach',
          match: { sensitivities: ['S2'] },
          clock: '24x7',
          acknowledgeWithin: { ms: 0 },
          resolveWithin: { ms: 48 * HOUR },
          warnBeforeMs: 12 * HOUR,
          escalation: [{ level: 'focal_point', after: { ms: 0 } }],
          priority: 0,
          active: true,
        },
      },
    });
    clock = new Date(RECEIVED);
    const c = await newCase({ sensitivity: 'S2', category: 'C06' });
    await router.settle();
    expect((await platform.cases.mustGet(c.caseId)).sla).toMatchObject({
      policyId: 's2',
      acknowledgeBy: '2026-03-01T10:00:00.000Z',
      resolveBy: '2026-03-03T06:00:00.000Z',
    });
    clock = new Date(Date.parse(RECEIVED) + 3 * HOUR);
    const report = await makeSweeper(platform, { noAnswerAfterMs: 72 * HOUR }).run();
    await router.settle();
    expect(report.escalations).toBe(0);
    expect((await platform.cases.timeline(c.caseId)).map((e) => e.type)).not.toContain('escalated');
  });

  it('refuses, through the admin API, a policy whose staff target is zero, and stores nothing', async () => {
    usePlatform(platform);
    const policy = {
      id: 'hotline-questions',
      name: 'Hotline questions',
      match: { types: ['question'] },
      clock: 'working',
      acknowledgeWithin: { ms: 0 },
      resolveWithin: { workingDays: 3 },
      warnBeforeMs: 3_600_000,
      escalation: [{ level: 'focal_point', after: { ms: 0 } }],
    };
    const refused = await call(adminHandler, 'POST /api/admin/sla-policies', { user: 'admin', body: policy });
    expect(refused.status).toBe(400);
    expect(refused.json().error).toMatchObject({
      code: 'REQUEST.INVALID',
      details: [{ path: 'acknowledgeWithin.ms', message: expect.stringMatching(/longer than zero/) }],
    });
    const listed = await call(adminHandler, 'GET /api/admin/sla-policies', { user: 'admin' });
    expect(listed.body).not.toContain('hotline-questions');
    const accepted = await call(adminHandler, 'POST /api/admin/sla-policies', {
      user: 'admin',
      body: { ...policy, acknowledgeWithin: { workingDays: 1 } },
    });
    expect(accepted.status, accepted.body).toBe(201);
  });

  it('warns once before a working-day target falls due, and leaves a paused case alone', async () => {
    const observer = await observeTopic(messaging, 'observer-warnings');
    clock = new Date(RECEIVED);
    const warned = await newCase({ type: 'complaint', category: 'C03' });
    const paused = await newCase({ type: 'complaint', category: 'C03' });
    for (const id of [warned.caseId, paused.caseId]) {
      await setCase(id, (c) => ({
        classification: { ...c.classification, source: 'classifier' },
        routing: { focalPoints: ['accountability-officer'], ruleId: 'default', routedAt: RECEIVED },
        // Due Tuesday 09:00 Baghdad; the complaint policy warns 8 working hours ahead.
        sla: {
          policyId: 'complaint',
          clock: 'working',
          acknowledgeBy: '2026-03-03T06:00:00.000Z',
          resolveBy: '2026-03-10T06:00:00.000Z',
          pausedMs: 0,
          escalated: [],
          warned: [],
        },
      }));
    }
    await setCase(paused.caseId, (c) => ({
      waitingOn: 'complainant',
      waitingSince: RECEIVED,
      sla: { ...(c.sla as NonNullable<Case['sla']>), pausedSince: RECEIVED },
    }));
    // Monday 12:00 Baghdad: 5 working hours before the due time.
    clock = new Date('2026-03-02T09:00:00.000Z');
    const options = { noAnswerAfterMs: 72 * HOUR };
    await Promise.all([makeSweeper(platform, options).run(), makeSweeper(platform, options).run()]);
    await router.settle();
    expect((await platform.cases.mustGet(warned.caseId)).sla?.warned).toEqual(['acknowledge']);
    expect((await platform.cases.mustGet(paused.caseId)).sla?.warned).toEqual([]);
    const warnings = (await observer.drain()).filter((m) => m.attributes.eventType === 'sla_warning');
    expect(warnings.map((m) => m.body.caseId)).toEqual([warned.caseId]);
  });

  it('closes a resolved case whose complainant did not answer in time, and only that one', async () => {
    clock = new Date(RECEIVED);
    const silent = await newCase({ consentToFollowUp: true, phone: '+9647701230000' });
    const recent = await newCase({ consentToFollowUp: true, phone: '+9647701230001' });
    const resolvedAt = '2026-03-02T06:00:00.000Z';
    await setCase(silent.caseId, () => ({
      status: 'resolved',
      resolvedAt,
      acknowledgedAt: resolvedAt,
      firstActionAt: resolvedAt,
      outcome: 'corrected',
      waitingOn: 'complainant',
      waitingSince: resolvedAt,
    }));
    await setCase(recent.caseId, () => ({
      status: 'resolved',
      resolvedAt,
      acknowledgedAt: resolvedAt,
      firstActionAt: resolvedAt,
      outcome: 'corrected',
      waitingOn: 'complainant',
      waitingSince: '2026-03-04T06:00:00.000Z',
    }));
    clock = new Date(Date.parse(resolvedAt) + 80 * HOUR);
    const report = await makeSweeper(platform, { noAnswerAfterMs: 72 * HOUR }).run();
    expect(report.closedNoAnswer).toBe(1);
    expect(await platform.cases.mustGet(silent.caseId)).toMatchObject({
      status: 'closed',
      satisfaction: 'no_answer',
    });
    expect((await platform.cases.mustGet(silent.caseId)).waitingOn).toBeUndefined();
    expect((await platform.cases.mustGet(recent.caseId)).status).toBe('resolved');
  });
});
