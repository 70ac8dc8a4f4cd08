import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '#functions/cases/handler.ts';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import type { LocalMessaging } from '#local/messaging.ts';
import { makeAuditTrail } from '#shared/audit/audit-trail.ts';
import { testMessaging, testPlatform } from '../../support/services.ts';
import { call, observeTopic, seedConfig, type UserName } from './helpers.ts';

const NOW = new Date('2026-03-03T09:00:00.000Z'); // a Tuesday, 12:00 in Baghdad
const key = () => `k-${randomBytes(8).toString('hex')}`;

describe('staff case API against DynamoDB Local', () => {
  let platform: Platform;
  let messaging: LocalMessaging;

  const create = async (user: UserName, body: Record<string, unknown>, idem = key()) =>
    call(handler, 'POST /api/cases', { user, body, headers: { 'idempotency-key': idem } });

  /** What the router does after the write: focal points and due times (set directly here). */
  const route = (caseId: string, focalPoints: string[]) =>
    platform.cases.mutate(caseId, undefined, (c, at) => ({
      next: {
        ...c,
        routing: { focalPoints, ruleId: 'test', routedAt: at },
        sla: {
          policyId: 'complaint',
          clock: 'working',
          acknowledgeBy: '2026-03-05T05:00:00.000Z',
          resolveBy: '2026-03-12T05:00:00.000Z',
          pausedMs: 0,
          escalated: [],
          warned: [],
        },
      },
      events: [{ type: 'routed', actor: { kind: 'system' }, data: { focalPoints } }],
    }));

  beforeAll(async () => {
    messaging = await testMessaging();
    platform = await testPlatform({ messaging, now: () => NOW });
    usePlatform(platform);
    await seedConfig(platform);
  });
  afterAll(async () => {
    usePlatform(undefined);
    await messaging.stop();
  });

  it('logs a hotline call once per Idempotency-Key and refuses a call without one', async () => {
    const body = {
      channel: 'hotline',
      narrative: 'The caller did not receive the February cash transfer.',
      language: 'ar',
      category: 'C04',
      consentToFollowUp: true,
      phone: '07701234567',
    };
    const missing = await call(handler, 'POST /api/cases', { user: 'operator', body });
    expect(missing.status).toBe(400);
    const idem = key();
    const [a, b] = await Promise.all([create('operator', body, idem), create('operator', body, idem)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.json().caseId).toBe(b.json().caseId);
    const detail = await call(handler, 'GET /api/cases/{id}', {
      user: 'operator',
      params: { id: a.json().caseId },
    });
    expect(detail.status).toBe(200);
    expect(detail.json().case.contact.phone).toBe('+9647701234567');
    expect(detail.json().case.classification.source).toBe('person');
    expect(detail.headers.etag).toBe('"1"');
  });

  it('logs an information request answered on the call as closed at once, with its clock', async () => {
    const res = await create('operator', {
      channel: 'walk_in',
      narrative: 'Asked when the next distribution is.',
      language: 'en',
      type: 'question',
      consentToFollowUp: false,
      resolvedOnContact: { outcome: 'information_given' },
    });
    expect(res.status).toBe(201);
    const c = await platform.cases.mustGet(res.json().caseId);
    expect(c.status).toBe('closed');
    expect(c.loopClosedBy).toBe('on_contact');
    expect([c.acknowledgedAt, c.firstActionAt, c.resolvedAt, c.closedAt]).toEqual(
      Array(4).fill(NOW.toISOString()),
    );
  });

  it('keeps restricted cases from roles without the right: lists, detail, look-ups, writes', async () => {
    const phone = '+9647509876543';
    const open = await create('operator', {
      channel: 'hotline',
      narrative: 'Water point broken in the camp.',
      language: 'ar',
      category: 'C03',
      consentToFollowUp: true,
      phone,
    });
    const restricted = await create('operator', {
      channel: 'hotline',
      narrative: 'A distribution worker asked for sex in exchange for aid.',
      language: 'ar',
      category: 'C07',
      consentToFollowUp: true,
      phone,
    });
    expect(restricted.status).toBe(201);
    const rid = restricted.json().caseId as string;
    await route(rid, ['psea-focal-point']);
    await route(open.json().caseId, ['accountability-officer']);

    for (const user of ['operator', 'officer', 'fraudOfficer'] as const) {
      const list = await call(handler, 'GET /api/cases', { user, query: { status: 'new', limit: '100' } });
      expect(list.status).toBe(200);
      expect(list.body).not.toContain(rid);
      const detail = await call(handler, 'GET /api/cases/{id}', { user, params: { id: rid } });
      expect(detail.status).toBe(404);
      const lookup = await call(handler, 'POST /api/cases/lookup', { user, body: { phone } });
      expect(lookup.json().items.map((i: { caseId: string }) => i.caseId)).toEqual([open.json().caseId]);
      const byRef = await call(handler, 'POST /api/cases/lookup', {
        user,
        body: { reference: restricted.json().reference },
      });
      expect(byRef.json().items).toEqual([]);
      const note = await call(handler, 'POST /api/cases/{id}/notes', {
        user,
        params: { id: rid },
        body: { text: 'x' },
      });
      expect(note.status).toBe(404);
    }
    const patched = await call(handler, 'PATCH /api/cases/{id}', {
      user: 'officer',
      params: { id: rid },
      headers: { 'if-match': '2' },
      body: { urgency: 'urgent' },
    });
    expect(patched.status).toBe(404);

    const audit = makeAuditTrail({ db: platform.db, tableName: platform.tableName });
    const before = (await audit.day(NOW.toISOString().slice(0, 10))).length;
    const psea = await call(handler, 'GET /api/cases/{id}', { user: 'psea', params: { id: rid } });
    expect(psea.status).toBe(200);
    expect(psea.json().case.contact.phone).toBe(phone);
    const pseaList = await call(handler, 'GET /api/cases', {
      user: 'psea',
      query: { status: 'new', limit: '100' },
    });
    expect(pseaList.body).toContain(rid);
    const entries = await audit.day(NOW.toISOString().slice(0, 10));
    expect(entries.length).toBeGreaterThanOrEqual(before + 2);
    const reads = entries.filter((e) => e.caseIds.includes(rid));
    expect(reads.map((e) => e.action)).toEqual(expect.arrayContaining(['case.read', 'case.list']));
    expect(JSON.stringify(entries)).not.toContain('9509876543');
  });

  it('admins read a case only through break-glass, which is audited and announced on the topic', async () => {
    const observer = await observeTopic(messaging, 'observer-break-glass');
    const res = await create('operator', {
      channel: 'complaint_box',
      narrative: 'A staff member took money to put names on the list.',
      language: 'ar',
      category: 'C06',
      consentToFollowUp: false,
    });
    const id = res.json().caseId as string;
    await route(id, ['misconduct-focal-point']);
    expect((await call(handler, 'GET /api/cases/{id}', { user: 'admin', params: { id } })).status).toBe(403);
    const short = await call(handler, 'POST /api/cases/{id}/break-glass', {
      user: 'admin',
      params: { id },
      body: { reason: 'need it' },
    });
    expect(short.status).toBe(400);
    const ok = await call(handler, 'POST /api/cases/{id}/break-glass', {
      user: 'admin',
      params: { id },
      body: { reason: 'Court order 2026/114 requires the case record for the investigation.' },
    });
    expect(ok.status).toBe(200);
    expect(ok.json().case.caseId).toBe(id);
    expect(ok.json().case.contact).toEqual({ hasPhone: false, hasName: false });
    const audit = await makeAuditTrail({ db: platform.db, tableName: platform.tableName }).day('2026-03-03');
    const entry = audit.find((e) => e.action === 'case.break_glass' && e.caseIds.includes(id));
    expect(entry?.why).toContain('Court order');
    const messages = await observer.drain();
    const notice = messages.find((m) => m.body.eventType === 'break_glass' && m.body.caseId === id);
    expect(notice?.attributes.focalPoints).toBe('["misconduct-focal-point"]');
    expect(JSON.stringify(notice)).not.toContain('money');
  });

  it('PATCH needs If-Match, refuses a stale version and records a reclassification with before and after', async () => {
    const res = await create('officer', {
      channel: 'community_meeting',
      narrative: 'People in the village say the list for shelter kits left out widows.',
      language: 'en',
      consentToFollowUp: false,
      location: { governorate: 'IQG15' },
    });
    const id = res.json().caseId as string;
    await platform.cases.mutate(id, undefined, (c) => ({
      next: {
        ...c,
        type: 'complaint',
        category: 'C03',
        classification: {
          ...c.classification,
          source: 'classifier',
          automatic: { type: 'complaint', category: 'C03', sensitivity: 'S0', urgency: 'none' },
        },
      },
      events: [],
    }));
    const url = { user: 'officer' as const, params: { id } };
    expect((await call(handler, 'PATCH /api/cases/{id}', { ...url, body: { category: 'C02' } })).status).toBe(
      428,
    );
    const stale = await call(handler, 'PATCH /api/cases/{id}', {
      ...url,
      headers: { 'if-match': '1' },
      body: { category: 'C02' },
    });
    expect(stale.status).toBe(409);
    expect(stale.json().error.code).toBe('CASE.VERSION_CONFLICT');
    const ok = await call(handler, 'PATCH /api/cases/{id}', {
      ...url,
      headers: { 'if-match': '"2"' },
      body: { category: 'C02', assignee: 'u-officer', reason: 'Targeting, not quality' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe('"3"');
    expect(ok.json().classification).toMatchObject({ source: 'officer', changedByOfficer: true });
    const detail = (await call(handler, 'GET /api/cases/{id}', url)).json();
    const reclassified = detail.timeline.find((e: { type: string }) => e.type === 'reclassified');
    expect(reclassified.data).toEqual({
      kind: 'reclassified',
      before: { category: 'C03' },
      after: { category: 'C02' },
    });
    expect(detail.timeline.some((e: { type: string }) => e.type === 'assigned')).toBe(true);
    // The Ninewa officer (IQG15) sees it; another governorate's case stays out of their list.
    const scoped = await call(handler, 'GET /api/cases', { user: 'officerNinewa', query: { limit: '100' } });
    expect(scoped.body).toContain(id);
    expect(
      scoped
        .json()
        .items.every((i: { location: { governorate?: string } }) => i.location.governorate === 'IQG15'),
    ).toBe(true);
  });

  it('moves a case through its lifecycle, refers it, and pauses the clock while it waits on the complainant', async () => {
    const res = await create('officer', {
      channel: 'walk_in',
      narrative: 'Tent leaking since the storm.',
      language: 'en',
      type: 'complaint',
      category: 'C03',
      consentToFollowUp: true,
      phone: '+9647701112233',
    });
    const id = res.json().caseId as string;
    await route(id, ['accountability-officer']);
    let version = 2;
    const step = async (body: Record<string, unknown>, expected = 200) => {
      const r = await call(handler, 'POST /api/cases/{id}/transitions', {
        user: 'officer',
        params: { id },
        headers: { 'if-match': String(version) },
        body,
      });
      expect(r.status, r.body).toBe(expected);
      if (r.status === 200) version = r.json().version;
      return r;
    };
    await step({ action: 'acknowledge' });
    await step({ action: 'close' }, 409);
    const paused = await call(handler, 'PATCH /api/cases/{id}', {
      user: 'officer',
      params: { id },
      headers: { 'if-match': String(version) },
      body: { waitingOn: 'complainant', reason: 'Asked for the tent number' },
    });
    expect(paused.json().sla.pausedSince).toBe(NOW.toISOString());
    version = paused.json().version;
    const referred = await call(handler, 'POST /api/cases/{id}/referral', {
      user: 'officer',
      params: { id },
      headers: { 'if-match': String(version) },
      body: { action: 'refer', partner: 'Shelter cluster partner' },
    });
    expect(referred.json().status).toBe('referred');
    expect(referred.json().waitingOn).toBeUndefined();
    version = referred.json().version;
    const accepted = await call(handler, 'POST /api/cases/{id}/referral', {
      user: 'officer',
      params: { id },
      headers: { 'if-match': String(version) },
      body: { action: 'accept', dueBy: '2026-03-10T12:00:00.000Z' },
    });
    expect(accepted.json().referral).toEqual({
      partner: 'Shelter cluster partner',
      status: 'accepted',
      dueBy: '2026-03-10T12:00:00.000Z',
    });
    version = accepted.json().version;
    await step({ action: 'resolve' }, 400);
    const resolved = await step({ action: 'resolve', outcome: 'assistance_provided' });
    expect(resolved.json()).toMatchObject({ status: 'resolved', outcome: 'assistance_provided' });
    await step({ action: 'close', loopClosedBy: 'call' });
    const closed = await platform.cases.mustGet(id);
    expect(closed).toMatchObject({ status: 'closed', loopClosedBy: 'call' });
    const reopened = await step({ action: 'reopen', reason: 'The tent leaks again' });
    expect(reopened.json().status).toBe('reopened');
    expect(reopened.json().sla.escalated).toEqual([]);
  });

  it('pages through a status list with a cursor, without repeats or gaps', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      const r = await create('operator', {
        channel: 'hotline',
        narrative: `Paging case ${i}`,
        language: 'en',
        category: 'C01',
        consentToFollowUp: false,
        programme: 'paging-test',
      });
      ids.push(r.json().caseId);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await call(handler, 'GET /api/cases', {
        user: 'officer',
        query: {
          status: 'new',
          category: 'C01',
          text: 'paging case',
          limit: '5',
          ...(cursor ? { cursor } : {}),
        },
      });
      expect(r.status).toBe(200);
      expect(r.json().servedBy).toBe('byCategoryStatus');
      seen.push(...r.json().items.map((i: { caseId: string }) => i.caseId));
      cursor = r.json().cursor;
      pages++;
    } while (cursor && pages < 20);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual([...ids].sort());
    const tampered = await call(handler, 'GET /api/cases', {
      user: 'officer',
      query: { status: 'closed', cursor: 'e30' },
    });
    expect(tampered.status).toBe(400);
  });
});
