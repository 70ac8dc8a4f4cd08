/**
 * The OpenAPI document, as the running API serves it, against what the case and report routes really answer: each
 * status a request gets is one the document lists for that operation, error bodies have the documented shape, and
 * the headers and bodies the document says a route needs are the ones it needs.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, settle, tokenFor } from '../../support/http.ts';

type Operation = {
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
  responses: Record<string, unknown>;
};
type Doc = { paths: Record<string, Record<string, Operation>> };

let doc: Doc;
const op = (method: string, path: string): Operation => {
  const found = doc.paths[path]?.[method.toLowerCase()];
  if (!found) throw new Error(`${method} ${path} is not in the document`);
  return found;
};

/** Sends a request and checks that its status is one the document lists for the route; returns the response. */
async function call(
  method: string,
  route: string,
  path: string,
  options: Parameters<typeof api>[2],
  expected: number,
) {
  const res = await api(method, path, options);
  expect(res.status, `${method} ${path}: ${res.text.slice(0, 200)}`).toBe(expected);
  expect(Object.keys(op(method, route).responses), `${method} ${route} answers ${res.status}`).toContain(
    String(res.status),
  );
  if (res.status >= 400) {
    const body = res.json() as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code).toBe('string');
    expect(typeof body.error?.message).toBe('string');
  }
  return res;
}

const key = () => `oa-${randomBytes(8).toString('hex')}`;
const NEW_CASE = {
  channel: 'hotline',
  narrative: 'The water truck has not come to block 4 for six days.',
  language: 'en',
  consentToFollowUp: true,
};

describe('the OpenAPI document against real answers', () => {
  beforeAll(async () => {
    const res = await api('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    doc = res.json() as Doc;
  });

  it('documents the case routes’ headers and bodies as the routes enforce them', () => {
    const create = op('POST', '/api/cases');
    expect(create.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    );
    expect(create.requestBody?.content['application/json']?.schema.required).toEqual(
      expect.arrayContaining(['channel', 'narrative', 'language', 'consentToFollowUp']),
    );
    for (const route of ['/api/cases/{id}/transitions', '/api/cases/{id}/referral']) {
      expect(op('POST', route).parameters).toContainEqual(
        expect.objectContaining({ name: 'If-Match', in: 'header', required: true }),
      );
    }
    expect(op('PATCH', '/api/cases/{id}').parameters).toContainEqual(
      expect.objectContaining({ name: 'If-Match', in: 'header', required: true }),
    );
    const query = (op('GET', '/api/cases').parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => p.name);
    expect(query).toEqual(expect.arrayContaining(['status', 'category', 'governorate', 'limit', 'cursor']));
  });

  it('lists every status the case and report routes answer with', async () => {
    const operator = await tokenFor('operator');
    const officer = await tokenFor('officer');
    const manager = await tokenFor('manager');
    const admin = await tokenFor('admin');

    // Logging a case: no key, no token, wrong role, wrong media type, too large, then made once and repeated.
    await call('POST', '/api/cases', '/api/cases', { token: operator, json: NEW_CASE }, 400);
    await call(
      'POST',
      '/api/cases',
      '/api/cases',
      { json: NEW_CASE, headers: { 'idempotency-key': key() } },
      401,
    );
    await call(
      'POST',
      '/api/cases',
      '/api/cases',
      { token: manager, json: NEW_CASE, headers: { 'idempotency-key': key() } },
      403,
    );
    await call(
      'POST',
      '/api/cases',
      '/api/cases',
      { token: operator, form: { narrative: 'x' }, headers: { 'idempotency-key': key() } },
      415,
    );
    await call(
      'POST',
      '/api/cases',
      '/api/cases',
      {
        token: operator,
        json: { ...NEW_CASE, narrative: 'x'.repeat(70_000) },
        headers: { 'idempotency-key': key() },
      },
      413,
    );
    const idempotencyKey = key();
    const made = await call(
      'POST',
      '/api/cases',
      '/api/cases',
      { token: operator, json: NEW_CASE, headers: { 'idempotency-key': idempotencyKey } },
      201,
    );
    const caseId = (made.json() as { caseId: string }).caseId;
    await call(
      'POST',
      '/api/cases',
      '/api/cases',
      { token: operator, json: NEW_CASE, headers: { 'idempotency-key': idempotencyKey } },
      200,
    );
    await settle();

    // Reading.
    await call('GET', '/api/cases', '/api/cases?status=new&limit=5', { token: officer }, 200);
    await call('GET', '/api/cases', '/api/cases?status=lost', { token: officer }, 400);
    await call(
      'POST',
      '/api/cases/lookup',
      '/api/cases/lookup',
      { token: officer, json: { reference: caseId } },
      200,
    );
    await call('POST', '/api/cases/lookup', '/api/cases/lookup', { token: officer, json: {} }, 400);
    const read = await call('GET', '/api/cases/{id}', `/api/cases/${caseId}`, { token: officer }, 200);
    await call('GET', '/api/cases/{id}', '/api/cases/not-a-reference', { token: officer }, 400);
    await call('GET', '/api/cases/{id}', '/api/cases/ZZZZ-ZZZZ', { token: officer }, 404);

    // Writing: no If-Match, a stale one, the right one; a move its status does not allow.
    const etag = read.headers.get('etag') ?? '';
    const route = '/api/cases/{id}';
    await call('PATCH', route, `/api/cases/${caseId}`, { token: officer, json: { urgency: 'urgent' } }, 428);
    await call(
      'PATCH',
      route,
      `/api/cases/${caseId}`,
      { token: officer, json: { urgency: 'urgent' }, headers: { 'if-match': '"999"' } },
      409,
    );
    const patched = await call(
      'PATCH',
      route,
      `/api/cases/${caseId}`,
      {
        token: officer,
        json: { urgency: 'urgent', reason: 'no water for six days' },
        headers: { 'if-match': etag },
      },
      200,
    );
    const transitions = '/api/cases/{id}/transitions';
    await call(
      'POST',
      transitions,
      `/api/cases/${caseId}/transitions`,
      {
        token: officer,
        json: { action: 'reopen' },
        headers: { 'if-match': patched.headers.get('etag') ?? '' },
      },
      409,
    );
    await call(
      'POST',
      transitions,
      `/api/cases/${caseId}/transitions`,
      {
        token: officer,
        json: { action: 'acknowledge' },
        headers: { 'if-match': patched.headers.get('etag') ?? '' },
      },
      200,
    );
    await call(
      'POST',
      transitions,
      `/api/cases/${caseId}/transitions`,
      { token: operator, json: { action: 'acknowledge' }, headers: { 'if-match': '"1"' } },
      403,
    );
    await call(
      'POST',
      '/api/cases/{id}/notes',
      `/api/cases/${caseId}/notes`,
      { token: officer, json: { text: 'Called the water contractor.' } },
      201,
    );
    await call(
      'POST',
      '/api/cases/{id}/referral',
      `/api/cases/${caseId}/referral`,
      { token: officer, json: { action: 'decline' }, headers: { 'if-match': '"1"' } },
      400,
    );
    await call(
      'POST',
      '/api/cases/{id}/break-glass',
      `/api/cases/${caseId}/break-glass`,
      { token: admin, json: { reason: 'curious' } },
      400,
    );

    // Reports.
    await call('GET', '/api/reports/time-to-close', '/api/reports/time-to-close', { token: manager }, 200);
    await call('GET', '/api/reports/cases.csv', '/api/reports/cases.csv', { token: manager }, 200);
    await call(
      'GET',
      '/api/reports/cases.csv',
      '/api/reports/cases.csv?from=yesterday',
      { token: manager },
      400,
    );
    await call('GET', '/api/reports/cases.csv', '/api/reports/cases.csv', { token: operator }, 403);
    await call('GET', '/api/reports/spikes', '/api/reports/spikes', { token: manager }, 200);
    await call('GET', '/api/reports/spikes', '/api/reports/spikes?day=today', { token: manager }, 400);
    await call('GET', '/api/reports/spikes', '/api/reports/spikes', { token: operator }, 403);
  });
});
