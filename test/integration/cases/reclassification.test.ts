/**
 * A reclassification across the restriction line, through the cases API against DynamoDB Local and the SNS/SQS
 * emulator: the case changes queues in the same write as the change (its focal-point links and its list
 * partitions), the new queue's focal points are alerted through the router, a lift records who, when and the
 * basis of the restriction, and the reports count it (downgrades for PSEA only; "classifications changed").
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribeFocalPoint } from '#functions/admin/subscriptions.ts';
import { handler } from '#functions/cases/handler.ts';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import { handler as projector } from '#functions/projector/handler.ts';
import { handler as reports } from '#functions/reports/handler.ts';
import { routerFor } from '#functions/router/handler.ts';
import type { LocalMessaging } from '#local/messaging.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { testMessaging, testPlatform } from '../../support/services.ts';
import { drain, readInbox, StreamReader } from '../routing/support.ts';
import { call, seedConfig, type UserName } from './helpers.ts';

const NOW = new Date('2026-12-09T07:00:00.000Z');
// A worker named with a visit: restricted by caution (S2, unclear) until a focal point has looked.
const CAUTION = 'The guard was kind and visited us';

describe('an officer’s or focal point’s reclassification moves the case between queues at once', () => {
  let messaging: LocalMessaging;
  let platform: Platform;
  let run: () => Promise<{ failures: string[] }>;
  let id = '';
  let reference = '';

  const queue = async (focalPointId: string) =>
    (await platform.cases.listCaseIdsByFocalPoint(focalPointId, { limit: 100 })).items;
  const detail = (user: UserName) => call(handler, 'GET /api/cases/{id}', { user, params: { id } });
  const patch = (user: UserName, version: number, body: Record<string, unknown>) =>
    call(handler, 'PATCH /api/cases/{id}', {
      user,
      params: { id },
      headers: { 'if-match': String(version) },
      body,
    });
  /** The case's row as the staff user's lists show it. */
  const row = async (user: UserName) =>
    (
      (await call(handler, 'POST /api/cases/lookup', { user, body: { reference } })).json() as {
        items: Record<string, unknown>[];
      }
    ).items[0];
  const alerts = async (focalPointId: string) =>
    (await readInbox(messaging, focalPointId)).filter((m) => m.message.reference === reference);

  beforeAll(async () => {
    messaging = await testMessaging();
    platform = await testPlatform({ messaging, now: () => NOW });
    usePlatform(platform);
    await seedConfig(platform);
    const config = makeConfigStore({ db: platform.db, tableName: platform.tableName });
    for (const fp of await config.list('focal-point')) await subscribeFocalPoint(platform, fp);
    const reader = new StreamReader(platform.db, platform.tableName);
    const router = routerFor(platform);
    const both = async (event: DynamoDBStreamEvent) => {
      const routed = await router(event);
      const projected = await projector(event);
      return { batchItemFailures: [...routed.batchItemFailures, ...projected.batchItemFailures] };
    };
    run = () => drain(reader, both);

    const { case: c } = await platform.cases.create({
      channel: 'sms',
      idempotencyKey: 'SM-reclassification-1',
      narrative: CAUTION,
      language: 'en',
      phone: '+9647701239876',
      consentToFollowUp: true,
      createdBy: { kind: 'complainant' },
    });
    id = c.caseId;
    reference = c.reference;
    expect((await run()).failures).toEqual([]);
  });

  afterAll(async () => {
    usePlatform(undefined);
    await messaging?.stop();
  });

  it('starts restricted by caution, in a restricted focal point’s queue only (S2: not the PSEA desk)', async () => {
    const c = await platform.cases.mustGet(id);
    expect(c).toMatchObject({ sensitivity: 'S2' });
    expect(c.classification).toMatchObject({ basis: 'caution', restrictedBasis: 'caution' });
    expect(await queue('misconduct-focal-point')).toContain(id);
    expect(await queue('psea-focal-point')).not.toContain(id);
    expect(await queue('accountability-officer')).not.toContain(id);
    expect((await detail('officer')).status).toBe(404);
    // Its row says why, for the focal point's desk to review the cautious ones first.
    expect(await row('fraudOfficer')).toMatchObject({ reference, restricted: true, restrictedBy: 'caution' });
    expect((await alerts('misconduct-focal-point')).map((m) => m.message.eventType)).toEqual(['routed']);
  });

  it('PSEA lifts it: the same write moves it to the officers’ queue and records who, when and the basis', async () => {
    const before = await platform.cases.mustGet(id);
    const res = await patch('psea', before.version, {
      type: 'praise',
      category: 'C03',
      sensitivity: 'S0',
      reason: 'Reviewed: she thanks the guard for checking on them; nothing to investigate.',
    });
    expect(res.status, res.body).toBe(200);
    // Before the router has run: the queues already changed.
    expect(await queue('accountability-officer')).toContain(id);
    expect(await queue('psea-focal-point')).not.toContain(id);
    expect((await detail('officer')).status).toBe(200);
    const c = await platform.cases.mustGet(id);
    expect(c.routing?.focalPoints).toEqual(['accountability-officer']);
    expect(c.classification.lifted).toEqual({
      by: 'u-psea',
      role: 'psea',
      at: NOW.toISOString(),
      basis: 'caution',
    });
    const timeline = (await detail('psea')).json().timeline as {
      type: string;
      data?: Record<string, unknown>;
    }[];
    expect(timeline.find((e) => e.data?.kind === 'restriction_lifted')?.data).toMatchObject({
      basis: 'caution',
    });
    expect(timeline.filter((e) => e.type === 'routed')).toHaveLength(2);
  });

  it('alerts the officers, the new queue, once; the PSEA focal point hears nothing more', async () => {
    expect((await run()).failures).toEqual([]);
    const officers = await alerts('accountability-officer');
    expect(officers.map((m) => m.message.eventType)).toEqual(['routed']);
    expect(officers[0]?.body).not.toContain('9876');
    expect(officers[0]?.body).not.toContain('guard');
    expect(await alerts('psea-focal-point')).toEqual([]);
  });

  it('reports the downgrade by basis to PSEA only, and the change among classifications changed', async () => {
    const report = async (user: UserName) =>
      call(reports, 'GET /api/reports/time-to-close', { user, query: { groupBy: 'category' } });
    const psea = (await report('psea')).json();
    expect(psea.total.downgraded).toMatchObject({
      restricted: 1,
      downgraded: 1,
      share: 1,
      byBasis: { caution: { restricted: 1, downgraded: 1, share: 1 } },
    });
    expect(psea.total.classification).toMatchObject({ automatic: 1, changedByOfficer: 1 });
    const manager = (await report('manager')).json();
    expect(manager.total.downgraded).toBeUndefined();
    expect(manager.total.classification).toMatchObject({ automatic: 1, changedByOfficer: 1 });

    const csv = await call(reports, 'GET /api/reports/cases.csv', {
      user: 'psea',
      query: { from: '2026-12' },
    });
    const [header, row] = csv.body.trim().split('\r\n') as [string, string];
    const cells = Object.fromEntries(header.split(',').map((h, i) => [h, row.split(',')[i]]));
    expect(cells).toMatchObject({ restrictedBasis: 'caution', restrictionLiftedAt: NOW.toISOString() });
  });

  it('the officer restricts it again: it leaves her view and queue at once, and PSEA is alerted', async () => {
    const before = await platform.cases.mustGet(id);
    const res = await patch('officer', before.version, {
      sensitivity: 'S3',
      reason: 'A second caller says the same guard asks women to meet him alone.',
    });
    expect(res.status, res.body).toBe(200);
    expect(res.json()).toMatchObject({ restricted: true });
    expect(await queue('accountability-officer')).not.toContain(id);
    expect(await queue('psea-focal-point')).toContain(id);
    expect((await detail('officer')).status).toBe(404);
    expect((await platform.cases.mustGet(id)).classification.lifted).toBeUndefined();
    // Restricted by a person now, not by the platform's reading: nothing for the desk to review as cautious.
    const restricted = await row('psea');
    expect(restricted).toMatchObject({ reference, restricted: true });
    expect(restricted).not.toHaveProperty('restrictedBy');

    expect((await run()).failures).toEqual([]);
    expect((await alerts('psea-focal-point')).map((m) => m.message.eventType)).toEqual(['routed']);
    expect(await alerts('accountability-officer')).toEqual([]);
  });
});
