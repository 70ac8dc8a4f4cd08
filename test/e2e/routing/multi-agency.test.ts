/**
 * One hotline for two agencies, over HTTP on the local stack: the default agency (the main number) and Agency B
 * (its own number, focal points and rules, seeded by local/seed.ts). An SMS to B's number is B's case, routed to
 * B's focal point; A's staff cannot list, open, look up, export or count it; a transfer B → A needs the person's
 * consent, is audited and re-routes it to A's focal point at once.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LOCAL_AGENCY_B_NUMBER } from '#local/seed.ts';
import { api, baseUrl, eventually, settle, tokenFor } from '../../support/http.ts';
import { newPhone, notificationsFor, postSms } from './support.ts';

async function tokenOf(userId: string): Promise<string> {
  const res = await fetch(`${baseUrl()}/dev/token`, { method: 'POST', body: JSON.stringify({ userId }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

interface ListPage {
  items: { reference: string }[];
}
const listed = async (token: string, text: string) =>
  ((await api('GET', `/api/cases?text=${encodeURIComponent(text)}`, { token })).json() as ListPage).items.map(
    (i) => i.reference,
  );
const csvOf = async (token: string) => {
  const month = new Date().toISOString().slice(0, 7);
  const res = await api('GET', `/api/reports/cases.csv?from=${month}&to=${month}`, { token });
  expect(res.status).toBe(200);
  return res.text;
};
const received = async (token: string) => {
  const res = await api('GET', '/api/reports/time-to-close?groupBy=channel', { token });
  expect(res.status).toBe(200);
  return (res.json() as { total: { received: number } }).total.received;
};

describe('one hotline for two agencies', () => {
  it('an SMS to Agency B’s number is B’s case, for B’s focal point, and invisible to the default agency', async () => {
    const [officerA, operatorA, officerB, managerB] = await Promise.all([
      tokenFor('officer'),
      tokenFor('operator'),
      tokenOf('local-officer-b'),
      tokenOf('local-manager-b'),
    ]);
    const word = `tank${randomUUID().slice(0, 8)}`;
    const from = newPhone();
    const bBefore = await received(managerB);

    // She texts Agency B's number.
    const sms = await postSms(
      `The water ${word} in our camp has been broken for a week`,
      from,
      LOCAL_AGENCY_B_NUMBER,
    );
    expect(sms.status).toBe(200);
    const reference = sms.reference as string;
    expect(reference).toBeDefined();

    // B's focal point is told; nobody of the default agency is.
    const [note, ...more] = await notificationsFor(reference);
    await settle();
    expect(more).toEqual([]);
    expect(note?.focalPointId).toBe('agency-b-officer');

    // B's officer sees it in the queue and opens it.
    expect(await listed(officerB, word)).toEqual([reference]);
    const asB = await api('GET', `/api/cases/${reference}`, { token: officerB });
    expect(asB.status).toBe(200);
    expect((asB.json() as { case: { agency: string; agencyBasis: string } }).case).toMatchObject({
      agency: 'agency-b',
      agencyBasis: 'number',
    });

    // The default agency's officer and operator: not in lists, not openable, not found by reference or number.
    expect(await listed(officerA, word)).toEqual([]);
    const asA = await api('GET', `/api/cases/${reference}`, { token: officerA });
    expect(asA.status).toBe(404);
    const unknown = await api('GET', '/api/cases/ZZZZ-ZZZZ', { token: officerA });
    expect(asA.json()).toEqual(unknown.json());
    for (const by of [{ reference }, { phone: from }]) {
      const found = await api('POST', '/api/cases/lookup', { token: operatorA, json: by });
      expect(found.status).toBe(200);
      expect((found.json() as ListPage).items).toEqual([]);
    }
    expect(
      (await api('POST', `/api/cases/${reference}/notes`, { token: officerA, json: { text: 'hello' } }))
        .status,
    ).toBe(404);

    // Exports: in B's, not in A's.
    expect(await csvOf(officerB)).toContain(reference);
    expect(await csvOf(officerA)).not.toContain(reference);
    const foreign = await api('GET', '/api/reports/cases.csv?agency=agency-b', { token: officerA });
    expect(foreign.status).toBe(403);
    // B's report counts it once the projector has.
    await eventually(async () => ((await received(managerB)) === bBefore + 1 ? true : undefined));
    // A deployment-wide manager's report counts both agencies: the default agency's and B's together (read again
    // until no other test's case lands between the three reads).
    const [managerA, managerAll] = await Promise.all([tokenFor('manager'), tokenOf('local-manager-all')]);
    await eventually(async () => {
      const [a, b, all] = await Promise.all([received(managerA), received(managerB), received(managerAll)]);
      return all === a + b && b > 0 ? true : undefined;
    });
  });

  it('a transfer B → A is refused without the person’s consent, then moves the case with it', async () => {
    const [officerA, officerB, admin] = await Promise.all([
      tokenFor('officer'),
      tokenOf('local-officer-b'),
      tokenFor('admin'),
    ]);
    const word = `roof${randomUUID().slice(0, 8)}`;
    const sms = await postSms(
      `The ${word} of our shelter leaks when it rains`,
      newPhone(),
      LOCAL_AGENCY_B_NUMBER,
    );
    const reference = sms.reference as string;
    await notificationsFor(reference);
    const read = async () => {
      const res = await api('GET', `/api/cases/${reference}`, { token: officerB });
      expect(res.status).toBe(200);
      return res.headers.get('etag') as string;
    };

    // No consent on the case yet: refused, and nothing moves.
    const refused = await api('POST', `/api/cases/${reference}/transfer`, {
      token: officerB,
      headers: { 'if-match': await read() },
      json: { agency: 'default', reason: 'Camp is served by the default agency' },
    });
    expect(refused.status).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'CASE.TRANSFER_NEEDS_CONSENT' } });
    const nowhere = await api('POST', `/api/cases/${reference}/transfer`, {
      token: officerB,
      headers: { 'if-match': await read() },
      json: { agency: 'no-such-agency', reason: 'typo' },
    });
    expect(nowhere.status).toBe(400);
    expect(nowhere.json()).toMatchObject({ error: { code: 'CASE.UNKNOWN_AGENCY' } });

    // The officer calls her back and she agrees to her case being shared.
    const consented = await api('PATCH', `/api/cases/${reference}`, {
      token: officerB,
      headers: { 'if-match': await read() },
      json: { consentToShare: { given: true, how: 'phone_call' } },
    });
    expect(consented.status).toBe(200);
    const stale = await api('POST', `/api/cases/${reference}/transfer`, {
      token: officerB,
      headers: { 'if-match': '1' },
      json: { agency: 'default', reason: 'Camp is served by the default agency' },
    });
    expect(stale.status).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'CASE.VERSION_CONFLICT' } });

    const moved = await api('POST', `/api/cases/${reference}/transfer`, {
      token: officerB,
      headers: { 'if-match': consented.headers.get('etag') as string },
      json: { agency: 'default', reason: 'Camp is served by the default agency' },
    });
    expect(moved.status).toBe(200);
    expect(moved.json()).toMatchObject({ reference, agency: 'default', visibleToYou: false });

    // Gone from B: not openable, not listed. A has it, routed to A's focal point at once.
    expect((await api('GET', `/api/cases/${reference}`, { token: officerB })).status).toBe(404);
    expect(await listed(officerB, word)).toEqual([]);
    expect(await listed(officerA, word)).toEqual([reference]);
    const asA = await api('GET', `/api/cases/${reference}`, { token: officerA });
    expect(asA.status).toBe(200);
    const detail = asA.json() as {
      case: { agency: string; routing: { focalPoints: string[] } };
      timeline: { type: string; reason?: string; data?: Record<string, unknown> }[];
    };
    expect(detail.case.agency).toBe('default');
    expect(detail.case.routing.focalPoints).toEqual(['accountability-officer']);
    expect(detail.timeline.find((e) => e.type === 'transferred')).toMatchObject({
      reason: 'Camp is served by the default agency',
      data: { fromAgency: 'agency-b', toAgency: 'default' },
    });
    const notes = await notificationsFor(reference, 2);
    expect(notes.map((n) => n.focalPointId)).toEqual(['agency-b-officer', 'accountability-officer']);

    // The audit trail names both agencies.
    const trail = await eventually(async () => {
      const res = await api('GET', `/api/admin/audit?caseId=${reference}`, { token: admin });
      const items = (res.json() as { items: { action: string; why: string }[] }).items.filter(
        (e) => e.action === 'case.transfer',
      );
      return items.length === 1 ? items : undefined;
    });
    expect(trail[0]?.why).toBe('transferred from agency-b to default: Camp is served by the default agency');
  });

  it('Agency B’s administrator keeps B’s focal points and rules only; the deployment’s keeps the agencies', async () => {
    const [adminB, admin] = await Promise.all([tokenOf('local-admin-b'), tokenFor('admin')]);
    const fps = (await api('GET', '/api/admin/focal-points', { token: adminB })).json() as {
      items: { focalPoint: { focalPointId: string } }[];
    };
    expect(fps.items.map((i) => i.focalPoint.focalPointId).sort()).toEqual([
      'agency-b-officer',
      'agency-b-psea',
    ]);
    const other = await api('GET', '/api/admin/focal-points/accountability-officer', { token: adminB });
    expect(other.status).toBe(404);
    const ruleId = `b-camp-${randomUUID().slice(0, 8)}`;
    const created = await api('POST', '/api/admin/routing-rules', {
      token: adminB,
      json: { ruleId, match: { governorates: ['IQG15'] }, focalPoints: ['agency-b-officer'] },
    });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ ruleId, agency: 'agency-b' });
    // Its rules cannot name the other agency's focal points.
    const across = await api('PUT', `/api/admin/routing-rules/${ruleId}`, {
      token: adminB,
      json: { ruleId, match: { governorates: ['IQG15'] }, focalPoints: ['accountability-officer'] },
    });
    expect(across.status).toBe(409);
    expect(JSON.stringify(across.json())).toContain('CONFIG.OTHER_AGENCY_FOCAL_POINT');
    expect((await api('DELETE', `/api/admin/routing-rules/${ruleId}`, { token: adminB })).status).toBe(204);
    expect((await api('DELETE', '/api/admin/routing-rules/default', { token: adminB })).status).toBe(404);
    expect((await api('GET', '/api/admin/sla-policies', { token: adminB })).status).toBe(403);
    expect((await api('GET', '/api/admin/agencies', { token: adminB })).json()).toEqual({
      items: [expect.objectContaining({ agencyId: 'agency-b' })],
    });

    const agencies = (await api('GET', '/api/admin/agencies', { token: admin })).json() as {
      items: { agencyId: string; numbers: string[] }[];
    };
    expect(agencies.items.find((a) => a.agencyId === 'agency-b')?.numbers).toEqual([LOCAL_AGENCY_B_NUMBER]);
    const bad = await api('POST', '/api/admin/agencies', {
      token: admin,
      json: { agencyId: 'Bad Id', name: 'x' },
    });
    expect(bad.status).toBe(400);
  });
});
