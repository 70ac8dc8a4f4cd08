import { describe, expect, it } from 'vitest';
import { api, baseUrl, eventually, settle, tokenFor } from '../../support/http.ts';

/**
 * In the local stack as `npm start` seeds it, a case is always in someone's queue: every focal point a rule
 * routes to is held by a local user, and an S2 case reaches the misconduct focal point's own queue.
 */
async function tokenOf(userId: string): Promise<string> {
  const res = await fetch(`${baseUrl()}/dev/token`, { method: 'POST', body: JSON.stringify({ userId }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe('routing targets in the seeded local stack', () => {
  it('gives every focal point a seeded rule routes to a local user who holds it', async () => {
    const res = await api('GET', '/api/admin/focal-points', { token: await tokenFor('admin') });
    const items = (
      res.json() as {
        items: {
          focalPoint: { focalPointId: string };
          members: unknown[];
          routedBy: string[];
          warnings: unknown[];
        }[];
      }
    ).items;
    const targets = items.filter((i) => i.routedBy.length > 0);
    expect(targets.length).toBeGreaterThanOrEqual(3);
    for (const t of targets) {
      expect(t.members.length, t.focalPoint.focalPointId).toBeGreaterThan(0);
      expect(t.warnings, t.focalPoint.focalPointId).toEqual([]);
    }
  });

  it('puts an S2 case in the misconduct focal point’s queue, where its local user reads it', async () => {
    const submitted = await api('POST', '/api/public/complaints', {
      json: {
        category: 'C06',
        description: 'The registration clerk asked for 50,000 dinars to put our family on the list.',
        language: 'en',
      },
    });
    const { reference } = submitted.json() as { reference: string };
    await settle();
    const token = await tokenOf('local-misconduct');
    const queue = await eventually(async () => {
      const res = await api('GET', '/api/cases?focalPoint=misconduct-focal-point&limit=100', { token });
      const refs = (res.json() as { items: { reference: string; restricted: boolean }[] }).items;
      return refs.some((r) => r.reference === reference) ? refs : undefined;
    });
    expect(queue.find((r) => r.reference === reference)?.restricted).toBe(true);
    expect((await api('GET', `/api/cases/${reference}`, { token })).status).toBe(200);
    // The general officer does not see it.
    expect((await api('GET', `/api/cases/${reference}`, { token: await tokenFor('officer') })).status).toBe(
      404,
    );
  });
});
