import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '#functions/lib/platform.ts';
import { makeSweeper } from '#functions/sweeper/sweep.ts';
import type { LocalMessaging } from '#local/messaging.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { testMessaging, testPlatform } from '../../support/services.ts';
import { observeTopic, seedConfig } from './helpers.ts';

const HOUR = 3_600_000;
const RECEIVED = '2026-03-01T06:00:00.000Z'; // Sunday 09:00 in Baghdad
let clock = new Date(RECEIVED);

describe('SLA sweeper against DynamoDB Local and the SNS emulator', () => {
  let platform: Platform;
  let messaging: LocalMessaging;

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
  });
  afterAll(async () => {
    await messaging.stop();
  });

  it('escalates an overdue S3 case once per level even when two sweepers run at once', async () => {
    const observer = await observeTopic(messaging, 'observer-escalations');
    clock = new Date(RECEIVED);
    const c = await newCase({ sensitivity: 'S3', category: 'C07' });
    await setCase(c.caseId, () => ({
      routing: { focalPoints: ['psea-focal-point'], ruleId: 'psea-s3', routedAt: RECEIVED },
      sla: {
        policyId: 's3',
        clock: '24x7',
        acknowledgeBy: RECEIVED,
        resolveBy: '2026-03-02T06:00:00.000Z',
        pausedMs: 0,
        escalated: [],
        warned: [],
      },
    }));
    const options = { noAnswerAfterMs: 72 * HOUR };
    // Five hours past the (immediate) acknowledgement target: the focal point (after 0 h) and the supervisor
    // (after 4 h) are due, the programme manager (after 12 h) not yet.
    clock = new Date(Date.parse(RECEIVED) + 5 * HOUR);
    await Promise.all([makeSweeper(platform, options).run(), makeSweeper(platform, options).run()]);
    await Promise.all([makeSweeper(platform, options).run(), makeSweeper(platform, options).run()]);

    let stored = await platform.cases.mustGet(c.caseId);
    expect(stored.sla?.escalated).toEqual(['acknowledge:focal_point', 'acknowledge:supervisor']);
    let escalations = (await platform.cases.timeline(c.caseId)).filter((e) => e.type === 'escalated');
    // One event per level (both fired at the same fixed instant, so their timeline order is not defined).
    expect(escalations.map((e) => String(e.data?.level)).sort()).toEqual(['focal_point', 'supervisor']);
    let published = (await observer.drain()).filter((m) => m.body.caseId === c.caseId);
    expect(published.map((m) => [m.attributes.eventType, m.attributes.focalPoints]).sort()).toEqual([
      ['escalated', '["cfm-supervisor"]'],
      ['escalated', '["psea-focal-point"]'],
    ]);
    for (const m of published) {
      expect(JSON.parse(m.attributes.audience ?? '[]')).toContain('focal_points');
      expect(JSON.stringify(m.body)).not.toContain('test case');
    }

    clock = new Date(Date.parse(RECEIVED) + 13 * HOUR);
    await Promise.all([makeSweeper(platform, options).run(), makeSweeper(platform, options).run()]);
    stored = await platform.cases.mustGet(c.caseId);
    expect(stored.sla?.escalated).toEqual([
      'acknowledge:focal_point',
      'acknowledge:supervisor',
      'acknowledge:programme_manager',
    ]);
    escalations = (await platform.cases.timeline(c.caseId)).filter((e) => e.type === 'escalated');
    expect(escalations).toHaveLength(3);
    published = (await observer.drain()).filter((m) => m.body.caseId === c.caseId);
    expect(published.map((m) => m.attributes.focalPoints)).toEqual(['["programme-manager"]']);
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
