import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, settle, tokenFor } from '../../support/http.ts';
import { inbox, notificationsFor } from './support.ts';

const suffix = randomBytes(4).toString('hex');
const FP = `e2e-fp-${suffix}`;
const RULE = `e2e-rule-${suffix}`;
const PROGRAMME = `e2e-programme-${suffix}`;

describe('admin API and routing over HTTP', () => {
  let admin: string;
  beforeAll(async () => {
    admin = await tokenFor('admin');
  });
  afterAll(async () => {
    await api('DELETE', `/api/admin/routing-rules/${RULE}`, { token: admin });
    await api('DELETE', `/api/admin/focal-points/${FP}`, { token: admin });
  });

  it('is for admins only', async () => {
    expect((await api('GET', '/api/admin/focal-points')).status).toBe(401);
    expect((await api('GET', '/api/admin/focal-points', { token: await tokenFor('officer') })).status).toBe(
      403,
    );
  });

  it('shows the seeded focal points, their subscriptions, the calendar and the local users', async () => {
    const fps = (await api('GET', '/api/admin/focal-points', { token: admin })).json() as {
      items: { focalPoint: { focalPointId: string }; subscription: { protocol: string } | null }[];
    };
    const psea = fps.items.find((i) => i.focalPoint.focalPointId === 'psea-focal-point');
    expect(psea?.subscription?.protocol).toBe('sqs');
    const calendar = await api('GET', '/api/admin/calendar', { token: admin });
    expect(calendar.json()).toMatchObject({ id: 'iraq', timeZone: 'Asia/Baghdad' });
    const users = (await api('GET', '/api/admin/users', { token: admin })).json() as {
      items: { userId: string }[];
    };
    expect(users.items.map((u) => u.userId)).toContain('local-psea');
  });

  it('a new focal point and rule take the cases of their programme, and a reclassification moves the case away', async () => {
    const created = await api('POST', '/api/admin/focal-points', {
      token: admin,
      json: {
        focalPointId: FP,
        name: 'E2E programme team',
        kind: 'general',
        channel: { type: 'local', address: FP },
      },
    });
    expect(created.status).toBe(201);
    const rule = await api('POST', '/api/admin/routing-rules', {
      token: admin,
      json: { ruleId: RULE, match: { programmes: [PROGRAMME] }, focalPoints: [FP] },
    });
    expect(rule.status).toBe(201);

    const logged = await api('POST', '/api/cases', {
      token: await tokenFor('operator'),
      headers: { 'idempotency-key': `e2e-routing-${suffix}` },
      json: {
        channel: 'hotline',
        narrative: 'The water tank in our street has been broken for a week',
        language: 'en',
        category: 'C03',
        programme: PROGRAMME,
        location: { governorate: 'IQG02' },
        consentToFollowUp: false,
      },
    });
    expect(logged.status).toBe(201);
    const { reference } = logged.json() as { reference: string };
    const [note, ...more] = await notificationsFor(reference);
    expect(more).toEqual([]);
    expect(note).toMatchObject({ focalPointId: FP, message: { eventType: 'routed' } });

    const officer = await tokenFor('officer');
    const current = await api('GET', `/api/cases/${reference}`, { token: officer });
    const patched = await api('PATCH', `/api/cases/${reference}`, {
      token: officer,
      headers: { 'if-match': current.headers.get('etag') ?? '' },
      json: { category: 'C06', sensitivity: 'S2', reason: 'The caller described a bribe' },
    });
    expect(patched.status).toBe(200);
    const notes = await notificationsFor(reference, 2);
    await settle();
    const latest = (await inbox()).filter((e) => e.message.reference === reference);
    expect(latest.map((e) => e.focalPointId).sort()).toEqual([FP, 'misconduct-focal-point'].sort());
    expect(notes.find((e) => e.focalPointId === 'misconduct-focal-point')?.attributes).toMatchObject({
      sensitivity: 'S2',
      eventType: 'routed',
    });
  });

  it('refuses to delete a focal point a rule routes to, with a stable code', async () => {
    const res = await api('DELETE', `/api/admin/focal-points/${FP}`, { token: admin });
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'ADMIN.CONFIG_CONFLICT' } });
  });
});

describe('classify and the OpenAPI document over HTTP', () => {
  it('POST /api/classify answers any staff role', async () => {
    const res = await api('POST', '/api/classify', {
      token: await tokenFor('manager'),
      json: { text: 'کارمەندێکی ڕێکخراوەکە داوای سێکسی لێکردم لە بەرامبەر یارمەتی' },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      language: 'ckb',
      category: 'C07',
      sensitivity: 'S3',
      priority: 'urgent',
    });
    expect((await api('POST', '/api/classify', { json: { text: 'x' } })).status).toBe(401);
  });

  it('GET /api/openapi.json is public and generated from the route table', async () => {
    const res = await api('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/classify']?.post).toBeDefined();
    expect(doc.paths['/api/admin/focal-points']?.post).toBeDefined();
  });
});
