import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as adminHandler } from '#functions/admin/handler.ts';
import { syncFocalPointSubscriptions } from '#functions/admin/subscriptions.ts';
import { installUserDirectory } from '#functions/admin/users.ts';
import { handler as classifyHandler } from '#functions/classify/handler.ts';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import type { LocalMessaging } from '#local/messaging.ts';
import { seed } from '#local/seed.ts';
import { LOCAL_USERS } from '#local/users.ts';
import { makeAuditTrail } from '#shared/audit/audit-trail.ts';
import { defaultConfig } from '#shared/config/defaults.ts';
import { testMessaging, testPlatform } from '../../support/services.ts';
import { adminEvent, apiEvent, call } from './http.ts';
import { readInbox } from './support.ts';

const admin = (
  method: string,
  sub: string,
  options: { body?: unknown; rawBody?: string; roles?: string[] } = {},
) => call(adminHandler, adminEvent(method, sub, options));

const newFocalPoint = (focalPointId: string, extra: Record<string, unknown> = {}) => ({
  focalPointId,
  name: `Focal point ${focalPointId}`,
  kind: 'general',
  channel: { type: 'email', address: `${focalPointId}@example.org` },
  ...extra,
});

/** Publishes what the router would publish for a routed event to `focalPoints`. */
const publishTo = (platform: Platform, focalPoints: string[], reference: string) =>
  platform.sns.publish(platform.topicArn, JSON.stringify({ reference }), {
    focalPoints: { DataType: 'String.Array', StringValue: JSON.stringify(focalPoints) },
    audience: { DataType: 'String.Array', StringValue: '["focal_points"]' },
    eventType: { DataType: 'String', StringValue: 'routed' },
  });

const inboxRefs = async (messaging: LocalMessaging, id: string) =>
  (await readInbox(messaging, id)).map((m) => m.message.reference);

describe('admin API against DynamoDB Local and the SNS/SQS emulator', () => {
  let messaging: LocalMessaging;
  let platform: Platform;

  beforeAll(async () => {
    messaging = await testMessaging();
    platform = await testPlatform({ messaging });
    usePlatform(platform);
    await seed(platform);
  });
  afterAll(async () => {
    usePlatform(undefined);
    installUserDirectory(undefined);
    await messaging?.stop();
  });

  it('admits only admins', async () => {
    expect((await admin('GET', 'focal-points', { roles: [] })).status).toBe(401);
    const officer = await admin('GET', 'focal-points', { roles: ['officer'] });
    expect(officer).toMatchObject({ status: 403, body: { error: { code: 'AUTH.FORBIDDEN' } } });
  });

  it('lists the seeded focal points with their subscriptions', async () => {
    const res = await admin('GET', 'focal-points');
    expect(res.status).toBe(200);
    const items = (res.body as { items: { focalPoint: { focalPointId: string }; subscription: unknown }[] })
      .items;
    expect(items.map((i) => i.focalPoint.focalPointId).sort()).toEqual(
      defaultConfig()
        .focalPoints.map((f) => f.focalPointId)
        .sort(),
    );
    for (const i of items) expect(i.subscription).toMatchObject({ protocol: 'sqs' });
  });

  it('seeding again writes nothing new and keeps one subscription per focal point', async () => {
    const again = await seed(platform);
    expect(Object.values(again.written).every((n) => n === 0)).toBe(true);
    await publishTo(platform, ['psea-focal-point'], 'SEED-ONCE');
    expect(await inboxRefs(messaging, 'psea-focal-point')).toEqual(['SEED-ONCE']);
  });

  it('adding a focal point subscribes it with a filter on its own id', async () => {
    const res = await admin('POST', 'focal-points', { body: newFocalPoint('fp-basra') });
    expect(res).toMatchObject({
      status: 201,
      body: {
        focalPoint: { focalPointId: 'fp-basra', active: true },
        subscription: {
          protocol: 'sqs',
          filterPolicy: JSON.stringify({ focalPoints: ['fp-basra'], audience: ['focal_points'] }),
        },
      },
    });
    await publishTo(platform, ['fp-basra'], 'TO-BASRA');
    await publishTo(platform, ['accountability-officer'], 'NOT-BASRA');
    expect(await inboxRefs(messaging, 'fp-basra')).toEqual(['TO-BASRA']);
    expect(await inboxRefs(messaging, 'accountability-officer')).toEqual(['NOT-BASRA']);
  });

  it('refuses a second focal point with the same id, and bad input, with stable codes', async () => {
    expect(await admin('POST', 'focal-points', { body: newFocalPoint('fp-basra') })).toMatchObject({
      status: 409,
      body: { error: { code: 'ADMIN.ALREADY_EXISTS' } },
    });
    expect(await admin('POST', 'focal-points', { body: { focalPointId: 'Bad Id!' } })).toMatchObject({
      status: 400,
      body: { error: { code: 'REQUEST.INVALID' } },
    });
    expect(await admin('POST', 'focal-points', { rawBody: '{not json' })).toMatchObject({
      status: 400,
      body: { error: { code: 'REQUEST.MALFORMED_JSON' } },
    });
    expect(await admin('POST', 'focal-points', { body: [1, 2] })).toMatchObject({ status: 400 });
    expect(await admin('PUT', 'focal-points/fp-basra', { body: newFocalPoint('fp-other') })).toMatchObject({
      status: 400,
      body: { error: { code: 'ADMIN.ID_MISMATCH' } },
    });
    expect(await admin('GET', 'focal-points/nobody')).toMatchObject({
      status: 404,
      body: { error: { code: 'CONFIG.NOT_FOUND' } },
    });
  });

  it('deactivating a focal point removes its subscription; reactivating restores it', async () => {
    const off = await admin('PUT', 'focal-points/fp-basra', {
      body: { ...newFocalPoint('fp-basra'), active: false },
    });
    expect(off).toMatchObject({ status: 200, body: { subscription: null } });
    await publishTo(platform, ['fp-basra'], 'WHILE-OFF');
    expect(await inboxRefs(messaging, 'fp-basra')).toEqual([]);

    const on = await admin('PUT', 'focal-points/fp-basra', {
      body: { name: 'Basra team', kind: 'general', channel: { type: 'email', address: 'basra@example.org' } },
    });
    expect(on).toMatchObject({
      status: 200,
      body: { focalPoint: { name: 'Basra team' }, subscription: { protocol: 'sqs' } },
    });
    await publishTo(platform, ['fp-basra'], 'BACK-ON');
    expect(await inboxRefs(messaging, 'fp-basra')).toEqual(['BACK-ON']);
  });

  it('refuses rules that name unknown focal points or send restricted cases to general ones', async () => {
    const unknown = await admin('POST', 'routing-rules', {
      body: { ruleId: 'to-nobody', match: { governorates: ['IQG02'] }, focalPoints: ['nobody'] },
    });
    expect(unknown).toMatchObject({
      status: 409,
      body: {
        error: {
          code: 'ADMIN.CONFIG_CONFLICT',
          details: { problems: [{ code: 'CONFIG.UNKNOWN_FOCAL_POINT' }] },
        },
      },
    });
    const leak = await admin('POST', 'routing-rules', {
      body: { ruleId: 's3-to-basra', match: { sensitivities: ['S3'] }, focalPoints: ['fp-basra'] },
    });
    expect(leak).toMatchObject({
      status: 409,
      body: { error: { details: { problems: [{ code: 'CONFIG.RESTRICTED_TO_UNRESTRICTED' }] } } },
    });
    expect(await admin('DELETE', 'routing-rules/default')).toMatchObject({
      status: 409,
      body: { error: { details: { problems: [{ code: 'CONFIG.DEFAULT_RULE' }] } } },
    });
  });

  it('creates, reads, replaces and deletes a routing rule', async () => {
    const body = { ruleId: 'basra', match: { governorates: ['IQG02'] }, focalPoints: ['fp-basra'] };
    expect(await admin('POST', 'routing-rules', { body })).toMatchObject({
      status: 201,
      body: { ruleId: 'basra', priority: 0 },
    });
    expect(await admin('POST', 'routing-rules', { body })).toMatchObject({ status: 409 });
    const { ruleId: _, ...withoutId } = body;
    expect(await admin('PUT', 'routing-rules/basra', { body: { ...withoutId, priority: 7 } })).toMatchObject({
      status: 200,
      body: { ruleId: 'basra', priority: 7 },
    });
    expect(await admin('GET', 'routing-rules/basra')).toMatchObject({ status: 200, body: { priority: 7 } });
  });

  it('refuses to delete a focal point a rule still routes to, then deletes it and its subscription', async () => {
    expect(await admin('DELETE', 'focal-points/fp-basra')).toMatchObject({
      status: 409,
      body: { error: { code: 'ADMIN.CONFIG_CONFLICT' } },
    });
    expect((await admin('DELETE', 'routing-rules/basra')).status).toBe(204);
    expect((await admin('DELETE', 'focal-points/fp-basra')).status).toBe(204);
    expect((await admin('GET', 'focal-points/fp-basra')).status).toBe(404);
    await publishTo(platform, ['fp-basra'], 'AFTER-DELETE');
    expect(await inboxRefs(messaging, 'fp-basra')).toEqual([]);
    expect(await admin('DELETE', 'routing-rules/basra')).toMatchObject({ status: 404 });
  });

  it('manages SLA policies', async () => {
    const policy = {
      id: 'c04-cash',
      name: 'Cash complaints',
      match: { categories: ['C04'] },
      clock: 'working',
      acknowledgeWithin: { workingDays: 1 },
      resolveWithin: { workingDays: 5 },
      warnBeforeMs: 3_600_000,
      escalation: [{ level: 'focal_point', after: { ms: 0 } }],
    };
    expect(await admin('POST', 'sla-policies', { body: policy })).toMatchObject({
      status: 201,
      body: { id: 'c04-cash' },
    });
    expect(await admin('PUT', 'sla-policies/c04-cash', { body: { ...policy, clock: '24x7' } })).toMatchObject(
      {
        status: 400,
        body: { error: { code: 'REQUEST.INVALID' } },
      },
    );
    const list = await admin('GET', 'sla-policies');
    expect((list.body as { items: { id: string }[] }).items.map((p) => p.id)).toContain('c04-cash');
    expect((await admin('DELETE', 'sla-policies/c04-cash')).status).toBe(204);
    expect((await admin('GET', 'sla-policies/c04-cash')).status).toBe(404);
  });

  it('reads and replaces the Iraq calendar with its holidays', async () => {
    const before = await admin('GET', 'calendar');
    expect(before).toMatchObject({ status: 200, body: { id: 'iraq', timeZone: 'Asia/Baghdad' } });
    const holidays = [{ date: '2026-03-21', name: 'Nowruz', scope: 'all' }];
    const put = await admin('PUT', 'calendar', {
      body: { name: 'Iraq', workingDays: [0, 1, 2, 3, 4], holidays },
    });
    expect(put).toMatchObject({ status: 200, body: { id: 'iraq', holidays } });
    expect(await admin('GET', 'calendar')).toMatchObject({ body: { holidays } });
    expect(await admin('PUT', 'calendar', { body: { id: 'other', name: 'x' } })).toMatchObject({
      status: 400,
      body: { error: { code: 'ADMIN.ID_MISMATCH' } },
    });
  });

  it('flags a routing target nobody holds, on the focal point and on the rules to it, without refusing the rule', async () => {
    // Seeded: every focal point a rule routes to has a local user holding it.
    const seeded = (await admin('GET', 'focal-points')).body as {
      items: {
        focalPoint: { focalPointId: string };
        members: unknown[];
        routedBy: string[];
        warnings: unknown[];
      }[];
    };
    const targets = seeded.items.filter((i) => i.routedBy.length > 0);
    expect(targets.map((i) => i.focalPoint.focalPointId).sort()).toEqual([
      'accountability-officer',
      'misconduct-focal-point',
      'psea-focal-point',
    ]);
    for (const t of targets) {
      expect(t.members.length, t.focalPoint.focalPointId).toBeGreaterThan(0);
      expect(t.warnings).toEqual([]);
    }
    expect((await admin('POST', 'focal-points', { body: newFocalPoint('fp-mosul') })).status).toBe(201);
    const rule = await admin('POST', 'routing-rules', {
      body: { ruleId: 'mosul', match: { districts: ['IQG15Q05'] }, focalPoints: ['fp-mosul'] },
    });
    expect(rule).toMatchObject({
      status: 201,
      body: {
        ruleId: 'mosul',
        warnings: [
          { code: 'ADMIN.RULE_TO_FOCAL_POINT_WITHOUT_MEMBERS', focalPointId: 'fp-mosul', ruleId: 'mosul' },
        ],
      },
    });
    const fp = await admin('GET', 'focal-points/fp-mosul');
    expect(fp.body).toMatchObject({
      members: [],
      routedBy: ['mosul'],
      warnings: [{ code: 'ADMIN.FOCAL_POINT_WITHOUT_MEMBERS', focalPointId: 'fp-mosul' }],
    });
    const rules = (await admin('GET', 'routing-rules')).body as {
      items: { ruleId: string; warnings: unknown[] }[];
    };
    expect(rules.items.find((r) => r.ruleId === 'mosul')?.warnings).toHaveLength(1);
    expect(rules.items.find((r) => r.ruleId === 'default')?.warnings).toEqual([]);

    // Once someone holds it, the flags go.
    installUserDirectory(async () => [
      ...LOCAL_USERS,
      {
        userId: 'mosul-officer',
        name: 'Mosul officer',
        role: 'officer',
        governorates: [],
        programmes: [],
        focalPointId: 'fp-mosul',
      },
    ]);
    expect((await admin('GET', 'focal-points/fp-mosul')).body).toMatchObject({
      members: [{ userId: 'mosul-officer', name: 'Mosul officer' }],
      warnings: [],
    });
    expect((await admin('GET', 'routing-rules/mosul')).body).toMatchObject({ warnings: [] });
    installUserDirectory(async () => LOCAL_USERS);
    expect((await admin('DELETE', 'routing-rules/mosul')).status).toBe(204);
    expect((await admin('DELETE', 'focal-points/fp-mosul')).status).toBe(204);
  });

  it('keeps referral partners as records: what each may receive, its contact, active or not', async () => {
    const partner = {
      partnerId: 'wash-partner',
      name: 'WASH partner',
      contact: { person: 'Referral desk', email: 'referrals@wash.example.org' },
      receives: ['category', 'governorate', 'narrative'],
    };
    expect(await admin('POST', 'partners', { body: partner })).toMatchObject({
      status: 201,
      body: { partnerId: 'wash-partner', active: true, receives: ['category', 'governorate', 'narrative'] },
    });
    expect(await admin('POST', 'partners', { body: partner })).toMatchObject({
      status: 409,
      body: { error: { code: 'ADMIN.ALREADY_EXISTS' } },
    });
    expect(
      await admin('POST', 'partners', {
        body: { ...partner, partnerId: 'bad-partner', contact: { email: 'not an address' } },
      }),
    ).toMatchObject({ status: 400, body: { error: { code: 'REQUEST.INVALID' } } });
    expect(
      await admin('POST', 'partners', { body: { ...partner, partnerId: 'odd', receives: ['passport'] } }),
    ).toMatchObject({ status: 400 });
    const { partnerId: _, ...rest } = partner;
    expect(await admin('PUT', 'partners/wash-partner', { body: { ...rest, active: false } })).toMatchObject({
      status: 200,
      body: { partnerId: 'wash-partner', active: false },
    });
    const list = (await admin('GET', 'partners')).body as { items: { partnerId: string }[] };
    expect(list.items.map((p) => p.partnerId)).toContain('wash-partner');
    expect((await admin('DELETE', 'partners/wash-partner')).status).toBe(204);
    expect((await admin('GET', 'partners/wash-partner')).status).toBe(404);
    expect((await admin('GET', 'partners', { roles: ['officer'] })).status).toBe(403);
  });

  it('reads the audit trail by case, by user and by day, newest first, a page at a time', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const audit = makeAuditTrail({ db: platform.db, tableName: platform.tableName });
    const psea = { userId: 'u-audit-psea', roles: ['psea'] };
    await audit.record({
      who: psea,
      action: 'case.read',
      caseIds: ['K7MQ-4XZ9'],
      why: 'routine',
      via: 'GET /api/cases/{id}',
    });
    await audit.record({
      who: psea,
      action: 'case.list',
      caseIds: ['K7MQ-4XZ9', 'HX3T-9W2P'],
      why: 'routine',
      via: 'GET /api/cases',
    });
    await audit.record({
      who: { userId: 'u-audit-admin', roles: ['admin'] },
      action: 'case.break_glass',
      caseIds: ['K7MQ-4XZ9'],
      why: 'Court order 2026/114 requires the record.',
      via: 'POST /api/cases/{id}/break-glass',
    });
    const read = (query: Record<string, string>, roles = ['admin']) =>
      call(adminHandler, { ...adminEvent('GET', 'audit', { roles }), queryStringParameters: query });
    type Page = {
      items: { action: string; why: string; who: { userId: string }; caseIds: string[] }[];
      cursor?: string;
    };

    const first = await read({ caseId: 'K7MQ-4XZ9', limit: '2' });
    expect(first.status).toBe(200);
    const p1 = first.body as Page;
    expect(p1.items.map((e) => e.action)).toEqual(['case.break_glass', 'case.list']);
    expect(p1.items[0]?.why).toBe('Court order 2026/114 requires the record.');
    expect(p1.cursor).toBeDefined();
    const p2 = (await read({ caseId: 'K7MQ-4XZ9', limit: '2', cursor: p1.cursor ?? '' })).body as Page;
    expect(p2.items.map((e) => e.action)).toEqual(['case.read']);

    const byUser = (await read({ userId: 'u-audit-psea' })).body as Page;
    expect(byUser.items.map((e) => e.action)).toEqual(['case.list', 'case.read']);
    const both = (await read({ caseId: 'HX3T-9W2P', userId: 'u-audit-admin' })).body as Page;
    expect(both.items).toEqual([]);
    const day = (await read({ date: today, limit: '200' })).body as Page;
    expect(day.items.filter((e) => e.who.userId.startsWith('u-audit-')).map((e) => e.action)).toEqual([
      'case.break_glass',
      'case.list',
      'case.read',
    ]);

    expect(await read({ caseId: 'not a case' })).toMatchObject({
      status: 400,
      body: { error: { code: 'REQUEST.INVALID' } },
    });
    expect(await read({ caseId: 'HX3T-9W2P', cursor: p1.cursor ?? '' })).toMatchObject({
      status: 400,
      body: { error: { code: 'REQUEST.INVALID_CURSOR' } },
    });
    expect((await read({}, ['psea'])).status).toBe(403);
  });

  it('lists users where a directory is installed (the local stack) and answers 501 where none is', async () => {
    const local = await admin('GET', 'users');
    expect(local.status).toBe(200);
    expect((local.body as { items: { userId: string }[] }).items.map((u) => u.userId)).toEqual(
      LOCAL_USERS.map((u) => u.userId),
    );
    installUserDirectory(undefined);
    expect(await admin('GET', 'users')).toMatchObject({
      status: 501,
      body: { error: { code: 'ADMIN.USERS_NOT_AVAILABLE' } },
    });
  });

  it('answers 404 and 405 for paths and methods the admin API does not have', async () => {
    expect(await admin('GET', 'nothing')).toMatchObject({
      status: 404,
      body: { error: { code: 'ROUTE.NOT_FOUND' } },
    });
    expect(await admin('POST', 'calendar', { body: {} })).toMatchObject({
      status: 405,
      body: { error: { code: 'ROUTE.METHOD_NOT_ALLOWED' } },
    });
  });

  it('re-creates every subscription after the emulator restarts with nothing', async () => {
    await messaging.stop();
    await messaging.start();
    await publishTo(platform, ['misconduct-focal-point'], 'LOST');
    const result = await syncFocalPointSubscriptions(platform);
    expect(result.failed).toEqual([]);
    expect(result.subscribed.sort()).toEqual(
      defaultConfig()
        .focalPoints.map((f) => f.focalPointId)
        .sort(),
    );
    await publishTo(platform, ['misconduct-focal-point'], 'AFTER-RESTART');
    expect(await inboxRefs(messaging, 'misconduct-focal-point')).toEqual(['AFTER-RESTART']);
  });
});

describe('POST /api/classify', () => {
  const classify = (body: unknown, roles: string[] = ['operator']) =>
    call(classifyHandler, apiEvent('POST', '/api/classify', { body, roles }));

  it('classifies for any staff role and names urgency "priority"', async () => {
    for (const role of ['operator', 'officer', 'psea', 'manager', 'admin']) {
      const res = await classify({ text: 'طلبوا مني رشوة حتى يسجلوني بالتوزيع' }, [role]);
      expect(res).toMatchObject({
        status: 200,
        body: { language: 'ar', type: 'complaint', category: 'C06', sensitivity: 'S2', priority: 'action' },
      });
      expect(res.body).not.toHaveProperty('urgency');
    }
  });

  it('refuses anonymous callers, empty and oversized texts, and unknown fields', async () => {
    expect(
      (await call(classifyHandler, apiEvent('POST', '/api/classify', { body: { text: 'hello' } }))).status,
    ).toBe(401);
    expect(await classify({ text: '   ' })).toMatchObject({
      status: 400,
      body: { error: { code: 'REQUEST.INVALID' } },
    });
    expect(await classify({ text: 'a'.repeat(5001) })).toMatchObject({ status: 400 });
    expect(await classify({ text: 'hello', extra: 1 })).toMatchObject({ status: 400 });
    expect((await classify({ text: 'a'.repeat(5000) })).status).toBe(200);
  });
});
