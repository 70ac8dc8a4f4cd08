/**
 * Every staff route of functions/routes.ts, for every local user: no S2/S3 case and no personal data reaches a
 * role without the right, and a restricted case answers exactly as a case that does not exist (no existence
 * oracle). An S3 case and an S0 case, each with a phone number and a name, are created first; every response
 * body is searched for what it must not hold.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '#functions/routes.ts';
import { api, baseUrl, settle, tokenFor } from '../../support/http.ts';
import { freshPhone } from './support.ts';

const USERS = [
  { name: 'operator', body: { role: 'operator' }, restricted: false, personal: true },
  { name: 'officer', body: { role: 'officer' }, restricted: false, personal: true },
  { name: 'officer-ninewa', body: { userId: 'local-officer-ninewa' }, restricted: false, personal: true },
  { name: 'manager', body: { role: 'manager' }, restricted: false, personal: false },
  { name: 'admin', body: { role: 'admin' }, restricted: false, personal: false },
  // Last: psea's probes may add notes to the cases.
  { name: 'psea', body: { role: 'psea' }, restricted: true, personal: true },
] as const;

async function token(body: Record<string, string>): Promise<string> {
  const res = await fetch(`${baseUrl()}/dev/token`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

const digits = (phone: string) => phone.slice(-9);

describe('every staff route × every role', () => {
  it('keeps restricted cases and personal data from roles without the right', {
    timeout: 120_000,
  }, async () => {
    const run = randomBytes(4).toString('hex');
    const operator = await tokenFor('operator');
    const phone3 = freshPhone();
    const phone0 = freshPhone();
    const name3 = `Nadiaprobe${run}`;
    const name0 = `Omarprobe${run}`;
    const marker3 = `zxs3${run}`;
    const marker0 = `zxs0${run}`;
    const create = async (body: Record<string, unknown>) => {
      const r = await api('POST', '/api/cases', {
        token: operator,
        json: body,
        headers: { 'idempotency-key': `probe-${run}-${String(body.category)}` },
      });
      expect(r.status, r.text).toBe(201);
      return (r.json() as { caseId: string }).caseId;
    };
    const s3 = await create({
      channel: 'hotline',
      narrative: `A guard at the distribution asked for sex for the food basket ${marker3}`,
      language: 'en',
      category: 'C07',
      consentToFollowUp: true,
      phone: phone3,
      name: name3,
      location: { governorate: 'IQG15' },
    });
    const s0 = await create({
      channel: 'hotline',
      narrative: `The water point in block 4 is broken ${marker0}`,
      language: 'en',
      category: 'C03',
      consentToFollowUp: true,
      phone: phone0,
      name: name0,
      location: { governorate: 'IQG15' },
    });
    const missing = 'ZZZZ-ZZZ9';
    await settle();

    const restrictedSecrets = [s3, marker3, digits(phone3), name3];
    const personalSecrets = [digits(phone0), digits(phone3), name0, name3];

    /** The requests to make on a route; `{id}` routes are probed with the S3, the S0 and a missing case. */
    const probes = (
      method: string,
      path: string,
    ): { path: string; json?: unknown; headers?: Record<string, string>; id?: string }[] => {
      const withId = (json?: unknown, headers?: Record<string, string>) =>
        [s3, s0, missing].map((id) => ({ path: path.replace('{id}', id), json, headers, id }));
      const key = `${method} ${path}`;
      switch (key) {
        case 'POST /api/cases':
          return [
            {
              path,
              json: { channel: 'walk_in', narrative: 'probe', language: 'en', consentToFollowUp: false },
              headers: { 'idempotency-key': `probe-new-${run}` },
            },
          ];
        case 'GET /api/cases':
          return [
            '',
            '?status=new&limit=100',
            '?overdue=true&limit=100',
            `?text=${marker3}`,
            '?focalPoint=psea-focal-point&limit=100',
            '?category=C07&limit=100',
            '?governorate=IQG15&limit=100',
          ].map((q) => ({ path: `${path}${q}` }));
        case 'POST /api/cases/lookup':
          return [
            { path, json: { phone: phone3 } },
            { path, json: { reference: s3 } },
            { path, json: { phone: phone0 } },
          ];
        case 'GET /api/cases/{id}':
          return withId();
        case 'PATCH /api/cases/{id}':
          return withId({ urgency: 'urgent' }, { 'if-match': '1' });
        case 'POST /api/cases/{id}/notes':
          return withId({ text: 'probe note' });
        case 'POST /api/cases/{id}/transitions':
          return withId({ action: 'acknowledge' }, { 'if-match': '1' });
        case 'POST /api/cases/{id}/referral':
          return withId({ action: 'decline', reason: 'probe' }, { 'if-match': '1' });
        case 'POST /api/cases/{id}/break-glass':
          return withId({ reason: 'Probe of the access rules by the end-to-end tests; please ignore.' });
        case 'GET /api/reports/time-to-close':
          return ['?groupBy=category', '?groupBy=focalPoint', '?groupBy=governorate', '?groupBy=month'].map(
            (q) => ({
              path: `${path}${q}`,
            }),
          );
        case 'GET /api/reports/cases.csv':
          return [{ path }];
        case 'POST /api/classify':
          return [{ path, json: { text: 'the water point is broken' } }];
        default: {
          const concrete = path.replace('{proxy+}', 'focal-points').replace(/\{[^}]+\}/g, 'probe');
          return [{ path: concrete, ...(method === 'GET' || method === 'DELETE' ? {} : { json: {} }) }];
        }
      }
    };

    const staffRoutes = ROUTES.filter((r) => r.auth !== 'public');
    expect(staffRoutes.length).toBeGreaterThanOrEqual(15);
    let requests = 0;
    for (const user of USERS) {
      const t = await token(user.body);
      for (const route of staffRoutes) {
        const answers = new Map<string | undefined, { status: number; code?: string }>();
        for (const p of probes(route.method, route.path)) {
          const res = await api(route.method, p.path, { token: t, json: p.json, headers: p.headers });
          requests++;
          const where = `${user.name} ${routeKey(route)} ${p.path}`;
          expect(res.status, where).toBeLessThan(500);
          const breakGlass = user.name === 'admin' && route.path.endsWith('/break-glass');
          if (!user.restricted) {
            const forbidden = breakGlass
              ? restrictedSecrets.filter((s) => s !== s3 && s !== marker3)
              : restrictedSecrets;
            for (const secret of forbidden)
              expect(res.text.includes(secret), `${where} leaks ${secret}`).toBe(false);
          }
          if (!user.personal) {
            for (const secret of personalSecrets)
              expect(res.text.includes(secret), `${where} leaks personal data`).toBe(false);
          }
          if (!user.restricted && route.path.startsWith('/api/reports/time-to-close')) {
            expect(res.text.includes('"C07"'), where).toBe(false);
            expect(res.text.includes('psea-focal-point'), where).toBe(false);
          }
          if (p.id) {
            let code: string | undefined;
            try {
              code = (res.json() as { error?: { code?: string } }).error?.code;
            } catch {
              code = undefined;
            }
            answers.set(p.id, { status: res.status, ...(code ? { code } : {}) });
          }
        }
        if (answers.size && !user.restricted && !route.path.endsWith('/break-glass')) {
          // A restricted case looks exactly like one that does not exist.
          expect(answers.get(s3), `${user.name} ${routeKey(route)}`).toEqual(answers.get(missing));
        }
      }
    }
    expect(requests).toBeGreaterThan(200);

    // The right roles do see what the others may not: the test would pass vacuously otherwise.
    const psea = await token({ role: 'psea' });
    const seen = await api('GET', `/api/cases/${s3}`, { token: psea });
    expect(seen.status).toBe(200);
    expect(seen.text).toContain(marker3);
    expect(seen.text).toContain(digits(phone3));
    const officer = await token({ role: 'officer' });
    const own = await api('GET', `/api/cases/${s0}`, { token: officer });
    expect(own.text).toContain(digits(phone0));
  });
});
