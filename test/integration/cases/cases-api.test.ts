import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '#functions/cases/handler.ts';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import type { LocalMessaging } from '#local/messaging.ts';
import { LOCAL_PARTNERS } from '#local/seed.ts';
import { makeAuditTrail } from '#shared/audit/audit-trail.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
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
    const config = makeConfigStore({ db: platform.db, tableName: platform.tableName });
    for (const partner of LOCAL_PARTNERS) await config.put('partner', partner);
    await config.put('partner', { ...LOCAL_PARTNERS[0], partnerId: 'closed-partner', active: false });
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

  it('names the focal points the case was sent to, ids and names only; one deleted since is left to its id', async () => {
    const res = await create('operator', {
      channel: 'hotline',
      narrative: 'The water tank in our sector has been empty for three days.',
      language: 'ar',
      category: 'C03',
      consentToFollowUp: false,
    });
    const id = res.json().caseId as string;
    await route(id, ['fp-gone']);
    await route(id, ['accountability-officer']);
    await platform.cases.mutate(id, undefined, (c) => ({
      next: c,
      events: [
        {
          type: 'escalated',
          actor: { kind: 'system', id: 'sweeper' },
          data: { level: 'supervisor', target: 'acknowledge', focalPoints: ['cfm-supervisor'] },
        },
      ],
    }));
    const detail = await call(handler, 'GET /api/cases/{id}', { user: 'officer', params: { id } });
    expect(detail.status).toBe(200);
    expect(detail.json().focalPoints).toEqual([
      { focalPointId: 'accountability-officer', name: 'Accountability officer (general feedback)' },
      { focalPointId: 'cfm-supervisor', name: 'CFM supervisor' },
    ]);
    const opened = await call(handler, 'POST /api/cases/{id}/break-glass', {
      user: 'admin',
      params: { id },
      body: { reason: 'Checking the routing of a water complaint for the monthly review.' },
    });
    expect(opened.status).toBe(200);
    expect(opened.json().focalPoints).toEqual(detail.json().focalPoints);
  });

  it('PATCH needs If-Match and records a reclassification with before and after', async () => {
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
    const future = await call(handler, 'PATCH /api/cases/{id}', {
      ...url,
      headers: { 'if-match': '9' },
      body: { category: 'C02' },
    });
    expect(future).toMatchObject({ status: 409 });
    expect(future.json().error.code).toBe('CASE.VERSION_CONFLICT');
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
      body: { action: 'refer', partnerId: 'shelter-partner', share: 'anonymous' },
    });
    expect(referred.json().status, referred.body).toBe('referred');
    expect(referred.json().waitingOn).toBeUndefined();
    version = referred.json().version;
    const accepted = await call(handler, 'POST /api/cases/{id}/referral', {
      user: 'officer',
      params: { id },
      headers: { 'if-match': String(version) },
      body: { action: 'accept', dueBy: '2026-03-10T12:00:00.000Z' },
    });
    expect(accepted.json().referral).toEqual({
      partner: 'Shelter partner (repairs and shelter kits)',
      partnerId: 'shelter-partner',
      share: 'anonymous',
      fields: ['type', 'category', 'urgency'],
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

  it("lets a person's edit through after the platform's own writes, and names who changed what when another person acted", async () => {
    const res = await create('officer', {
      channel: 'walk_in',
      narrative: 'The latrines near block C are broken.',
      language: 'en',
      category: 'C03',
      consentToFollowUp: false,
      location: { governorate: 'IQG15' },
    });
    const id = res.json().caseId as string;
    await route(id, ['accountability-officer']); // the router: version 2, read by both officers
    // The sweeper warns: version 3, no person acted.
    await platform.cases.mutate(id, undefined, (c) => ({
      next: { ...c, sla: c.sla ? { ...c.sla, warned: ['acknowledge'] } : c.sla },
      events: [
        { type: 'sla_warning', actor: { kind: 'system', id: 'sweeper' }, data: { target: 'acknowledge' } },
      ],
    }));
    const edit = (user: UserName, version: number, body: Record<string, unknown>) =>
      call(handler, 'PATCH /api/cases/{id}', {
        user,
        params: { id },
        headers: { 'if-match': String(version) },
        body,
      });
    const first = await edit('officer', 2, { urgency: 'action' });
    expect(first.status, first.body).toBe(200);
    expect(first.json()).toMatchObject({ version: 4, staffVersion: 4, urgency: 'action' });

    // The Ninewa officer read version 4; the other officer acknowledges meanwhile (version 5).
    const ack = await call(handler, 'POST /api/cases/{id}/transitions', {
      user: 'officer',
      params: { id },
      headers: { 'if-match': '4' },
      body: { action: 'acknowledge' },
    });
    expect(ack.json().version).toBe(5);
    const late = await edit('officerNinewa', 4, { assignee: 'u-officer-ninewa' });
    expect(late.status).toBe(409);
    expect(late.json().error).toMatchObject({
      code: 'CASE.VERSION_CONFLICT',
      details: {
        expectedVersion: 4,
        currentVersion: 5,
        changes: [
          {
            actor: { kind: 'staff', id: 'u-officer', role: 'officer' },
            type: 'transition',
            fromStatus: 'new',
            toStatus: 'acknowledged',
          },
        ],
      },
    });
    // A note is a staff action but changes nothing another person would overwrite.
    await call(handler, 'POST /api/cases/{id}/notes', {
      user: 'officer',
      params: { id },
      body: { text: 'Called the camp manager.' },
    });
    const after = await edit('officerNinewa', 5, { assignee: 'u-officer-ninewa' });
    expect(after.status, after.body).toBe(200);
    expect(after.json()).toMatchObject({ assignee: 'u-officer-ninewa', version: 7, staffVersion: 7 });
  });

  it('records the consent to share at intake, and refers to partner records only as far as the person consented', async () => {
    const phone = '+9647701230099';
    const res = await create('operator', {
      channel: 'hotline',
      narrative: 'My family lost our civil documents when we fled; we cannot register the children.',
      language: 'ar',
      category: 'C10',
      consentToFollowUp: true,
      consentToShare: false,
      phone,
      location: { governorate: 'IQG15', district: 'IQG15Q05' },
    });
    const id = res.json().caseId as string;
    await route(id, ['accountability-officer']);
    const atIntake = await platform.cases.mustGet(id);
    expect(atIntake.consentToShare).toEqual({
      given: false,
      how: 'intake',
      at: NOW.toISOString(),
      recordedBy: 'u-operator',
    });
    let version = atIntake.version;
    const refer = (body: Record<string, unknown>) =>
      call(handler, 'POST /api/cases/{id}/referral', {
        user: 'officer',
        params: { id },
        headers: { 'if-match': String(version) },
        body,
      });

    expect(
      (await refer({ action: 'refer', partnerId: 'legal-aid', share: 'consented' })).json().error,
    ).toMatchObject({
      code: 'CASE.NO_CONSENT_TO_SHARE',
    });
    expect(
      (await refer({ action: 'refer', partnerId: 'nobody', share: 'anonymous' })).json().error.code,
    ).toBe('CASE.PARTNER_NOT_FOUND');
    expect(
      (await refer({ action: 'refer', partnerId: 'closed-partner', share: 'anonymous' })).json().error.code,
    ).toBe('CASE.PARTNER_INACTIVE');
    expect((await refer({ action: 'refer', partner: 'Typed by hand', share: 'anonymous' })).status).toBe(400);

    const anonymous = await refer({ action: 'refer', partnerId: 'legal-aid', share: 'anonymous' });
    expect(anonymous.status, anonymous.body).toBe(200);
    expect(anonymous.json().referralPackage).toEqual({
      reference: res.json().reference,
      fields: { category: 'C10', urgency: 'none', governorate: 'IQG15' },
    });
    version = anonymous.json().version;
    const declined = await refer({ action: 'decline', reason: 'Needs the family’s details to open a file.' });
    expect(declined.json()).toMatchObject({
      status: 'in_progress',
      referral: { status: 'declined', partnerId: 'legal-aid' },
    });
    version = declined.json().version;

    // Asked afterwards, by phone: recorded with how and when, by whom.
    const ask = (body: Record<string, unknown>) =>
      call(handler, 'PATCH /api/cases/{id}', {
        user: 'officer',
        params: { id },
        headers: { 'if-match': String(version) },
        body,
      });
    expect(
      (
        await ask({ consentToShare: { given: true, how: 'phone_call', at: '2026-03-04T08:00:00.000Z' } })
      ).json().error.code,
    ).toBe('CASE.CONSENT_IN_FUTURE');
    expect((await ask({ consentToShare: { given: true, how: 'intake' } })).status).toBe(400);
    const consented = await ask({
      consentToShare: { given: true, how: 'phone_call', at: '2026-03-03T08:30:00.000Z' },
      reason: 'Explained what the legal aid partner would receive.',
    });
    expect(consented.json().consentToShare).toEqual({
      given: true,
      how: 'phone_call',
      at: '2026-03-03T08:30:00.000Z',
      recordedBy: 'u-officer',
    });
    version = consented.json().version;
    const full = await refer({
      action: 'refer',
      partnerId: 'legal-aid',
      share: 'consented',
      dueBy: '2026-03-10T12:00:00.000Z',
    });
    expect(full.status, full.body).toBe(200);
    expect(full.json().referralPackage.fields).toEqual({
      category: 'C10',
      urgency: 'none',
      governorate: 'IQG15',
      district: 'IQG15Q05',
      language: 'ar',
      narrative: 'My family lost our civil documents when we fled; we cannot register the children.',
      phone,
    });
    expect(full.json().referral).toMatchObject({
      partnerId: 'legal-aid',
      share: 'consented',
      status: 'pending',
    });

    // The test's clock stands still, so entries of one instant come in no particular order.
    const trail = await makeAuditTrail({ db: platform.db, tableName: platform.tableName }).list({
      caseId: id,
    });
    expect(trail.items.map((e) => `${e.action} ${e.why}`).sort()).toEqual([
      'case.consent consent to share given (phone_call)',
      'case.referral referred to legal-aid (anonymous summary): category, urgency, governorate',
      'case.referral referred to legal-aid (with consent): category, urgency, governorate, district, language, narrative, phone',
    ]);
    expect(JSON.stringify(trail.items)).not.toContain('9647701230099');
    const timeline = (await call(handler, 'GET /api/cases/{id}', { user: 'officer', params: { id } })).json()
      .timeline;
    expect(
      timeline
        .filter((e: { type: string }) => e.type === 'referral')
        .map((e: { data: { share?: string; status: string } }) => `${e.data.status} ${e.data.share ?? '-'}`)
        .sort(),
    ).toEqual(['declined -', 'pending anonymous', 'pending consented']);
  });

  it('lets the PSEA focal point lift a restriction with a reason, and impose it again; audited and on the timeline', async () => {
    const res = await create('operator', {
      channel: 'hotline',
      narrative: 'The guard at the gate shouted at people in the queue.',
      language: 'ar',
      category: 'C05',
      consentToFollowUp: false,
    });
    const id = res.json().caseId as string;
    expect(res.json()).toMatchObject({ restricted: true, visibleToYou: false });
    await route(id, ['misconduct-focal-point']);
    const patch = (user: UserName, version: number, body: Record<string, unknown>) =>
      call(handler, 'PATCH /api/cases/{id}', {
        user,
        params: { id },
        headers: { 'if-match': String(version) },
        body,
      });
    expect((await patch('psea', 2, { sensitivity: 'S1' })).json().error.code).toBe('CASE.REASON_REQUIRED');
    const lifted = await patch('psea', 2, {
      sensitivity: 'S1',
      reason: 'Reviewed: rudeness at the gate, no misconduct to investigate.',
    });
    expect(lifted.status, lifted.body).toBe(200);
    expect(lifted.json()).toMatchObject({ sensitivity: 'S1', restricted: false });
    expect((await call(handler, 'GET /api/cases/{id}', { user: 'officer', params: { id } })).status).toBe(
      200,
    );

    const again = await patch('psea', lifted.json().version, {
      sensitivity: 'S2',
      reason: 'A second caller named the same guard asking for money.',
    });
    expect(again.json()).toMatchObject({ sensitivity: 'S2', restricted: true });
    expect((await call(handler, 'GET /api/cases/{id}', { user: 'officer', params: { id } })).status).toBe(
      404,
    );

    const timeline = (await call(handler, 'GET /api/cases/{id}', { user: 'psea', params: { id } })).json()
      .timeline;
    expect(
      timeline
        .filter((e: { type: string }) => e.type === 'reclassified')
        .map((e: { data: { kind: string } }) => e.data.kind)
        .sort(),
    ).toEqual(['restricted', 'restriction_lifted']);
    const trail = await makeAuditTrail({ db: platform.db, tableName: platform.tableName }).list({
      caseId: id,
    });
    const changes = trail.items.filter((e) => e.action === 'case.restriction');
    expect(changes.map((e) => e.why).sort()).toEqual([
      'imposed: A second caller named the same guard asking for money.',
      'lifted: Reviewed: rudeness at the gate, no misconduct to investigate.',
    ]);
  });

  it('flags a case when the person writes again, until someone on the desk acts on it', async () => {
    const res = await create('operator', {
      channel: 'hotline',
      narrative: 'A volunteer keeps sending messages to my daughter.',
      language: 'ar',
      category: 'C07',
      consentToFollowUp: true,
      phone: '+9647701230055',
    });
    const id = res.json().caseId as string;
    await route(id, ['psea-focal-point']);
    const row = async () =>
      (
        await call(handler, 'GET /api/cases', {
          user: 'psea',
          query: { status: 'new', limit: '100' },
        })
      )
        .json()
        .items.find((i: { caseId: string }) => i.caseId === id);
    expect((await row()).newMessage).toBe(false);
    await platform.cases.mutate(id, undefined, (c) => ({
      next: { ...c, narrative: `${c.narrative}\nHe came to our tent today.` },
      events: [{ type: 'message_in', actor: { kind: 'complainant' }, data: { channel: 'sms' } }],
    }));
    expect((await row()).newMessage).toBe(true);
    const detail = (await call(handler, 'GET /api/cases/{id}', { user: 'psea', params: { id } })).json();
    expect(detail.case).toMatchObject({ newMessage: true, lastMessageInAt: NOW.toISOString() });
    await call(handler, 'POST /api/cases/{id}/notes', {
      user: 'psea',
      params: { id },
      body: { text: 'Called her back; safety plan agreed.' },
    });
    expect((await row()).newMessage).toBe(false);
  });

  it('logs a callback request from the call, and refuses one without a number to call', async () => {
    const body = {
      channel: 'hotline',
      narrative: 'Wants to know which documents the cash registration needs; the line was bad.',
      language: 'ar',
      type: 'question',
      consentToFollowUp: true,
      phone: '0770 123 4411',
      callback: { note: 'After 4 pm' },
    };
    const res = await create('operator', body);
    expect(res.status, res.body).toBe(201);
    const timeline = (
      await call(handler, 'GET /api/cases/{id}', { user: 'operator', params: { id: res.json().caseId } })
    ).json().timeline;
    expect(timeline.find((e: { type: string }) => e.type === 'callback_requested')).toMatchObject({
      actor: { kind: 'staff', id: 'u-operator' },
      reason: 'After 4 pm',
      data: { channel: 'hotline' },
    });
    const { phone: _, ...noPhone } = body;
    expect((await create('operator', noPhone)).json().error.code).toBe('CASE.CALLBACK_NEEDS_PHONE');
    expect((await create('operator', { ...body, consentToFollowUp: false })).json().error.code).toBe(
      'CASE.CALLBACK_NEEDS_PHONE',
    );
  });

  it('keeps the message to the person with the outcome, and only with a resolution', async () => {
    const res = await create('officer', {
      channel: 'walk_in',
      narrative: 'No kerosene in the last distribution.',
      language: 'ar',
      category: 'C03',
      consentToFollowUp: false,
    });
    const id = res.json().caseId as string;
    await route(id, ['accountability-officer']);
    const step = (body: Record<string, unknown>) =>
      call(handler, 'POST /api/cases/{id}/transitions', {
        user: 'officer',
        params: { id },
        headers: { 'if-match': '2' },
        body,
      });
    expect((await step({ action: 'acknowledge', message: 'x' })).status).toBe(400);
    expect((await step({ action: 'resolve', outcome: 'corrected', message: 'x'.repeat(321) })).status).toBe(
      400,
    );
    const resolved = await step({
      action: 'resolve',
      outcome: 'corrected',
      message: 'سيتم توزيع النفط الأبيض يوم الأحد.',
    });
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      outcomeMessage: 'سيتم توزيع النفط الأبيض يوم الأحد.',
    });
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
