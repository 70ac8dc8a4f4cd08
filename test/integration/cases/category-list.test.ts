import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { testPlatform } from '../../support/services.ts';
import { listAll, seedDueCase } from './helpers.ts';

const NOW = new Date('2026-03-03T09:00:00.000Z');
const HOUR = 3_600_000;

interface Spec {
  category: Case['category'];
  status: Case['status'];
  /** Hours from NOW to the case's due time (negative: overdue). */
  dueIn: number;
  restricted?: boolean;
}

describe('category-filtered case lists (byCategoryStatus) against DynamoDB Local', () => {
  let platform: Platform;
  const made: (Spec & { caseId: string; due: string })[] = [];

  beforeAll(async () => {
    platform = await testPlatform({ now: () => NOW });
    usePlatform(platform);
    const specs: Spec[] = [];
    const add = (n: number, s: Omit<Spec, 'dueIn'>) => {
      // Due times interleave across statuses and categories, some already past.
      for (let i = 0; i < n; i++) specs.push({ ...s, dueIn: ((specs.length * 7) % 41) - 12 });
    };
    add(7, { category: 'C03', status: 'new' });
    add(6, { category: 'C03', status: 'in_progress' });
    add(3, { category: 'C03', status: 'acknowledged' });
    add(2, { category: 'C03', status: 'referred' });
    add(2, { category: 'C03', status: 'in_progress', restricted: true });
    add(1, { category: 'C03', status: 'new', restricted: true });
    add(2, { category: 'C03', status: 'resolved' });
    add(3, { category: 'C03', status: 'closed' });
    add(4, { category: 'C05', status: 'in_progress' });
    add(3, { category: 'C05', status: 'new' });
    add(1, { category: 'C05', status: 'closed' });
    add(2, { category: null, status: 'new' });
    for (const [i, s] of specs.entries()) {
      const due = new Date(NOW.getTime() + s.dueIn * HOUR + i * 1000).toISOString();
      const done = new Date(NOW.getTime() - (i + 1) * HOUR).toISOString();
      const caseId = await seedDueCase(platform, {
        key: `category-list-${i}`,
        narrative: `Category list case ${i}`,
        status: s.status,
        category: s.category,
        due,
        done,
        restricted: s.restricted,
      });
      made.push({ ...s, caseId, due });
    }
  });
  afterAll(() => usePlatform(undefined));

  const OPEN = ['new', 'acknowledged', 'in_progress', 'referred', 'reopened'];
  const byDue = (a: { due: string; caseId: string }, b: { due: string; caseId: string }) =>
    a.due === b.due ? (a.caseId < b.caseId ? -1 : 1) : a.due < b.due ? -1 : 1;

  it('lists one open status of a category from its own partition, soonest due first, across pages', async () => {
    const expected = made
      .filter((m) => m.category === 'C03' && m.status === 'in_progress' && !m.restricted)
      .sort(byDue)
      .map((m) => m.caseId);
    expect(expected).toHaveLength(6);
    const got = await listAll('officer', { status: 'in_progress', category: 'C03', limit: '4' });
    expect(got.ids).toEqual(expected);
    expect(got.pages).toBeGreaterThanOrEqual(2);
    expect([...got.servedBy]).toEqual(['byCategoryStatus']);
  });

  it('merges the restricted partition only for psea', async () => {
    const expected = made
      .filter((m) => m.category === 'C03' && m.status === 'in_progress')
      .sort(byDue)
      .map((m) => m.caseId);
    expect(expected).toHaveLength(8);
    const got = await listAll('psea', { status: 'in_progress', category: 'C03', limit: '3' });
    expect(got.ids).toEqual(expected);
  });

  it('without a status lists the open cases of the category by due time, then the resolved and closed ones', async () => {
    const c03 = made.filter((m) => m.category === 'C03' && !m.restricted);
    const open = c03.filter((m) => OPEN.includes(m.status)).sort(byDue);
    const got = await listAll('officer', { category: 'C03', limit: '5' });
    expect(got.ids.slice(0, open.length)).toEqual(open.map((m) => m.caseId));
    expect(new Set(got.ids).size).toBe(got.ids.length);
    expect([...got.ids].sort()).toEqual(c03.map((m) => m.caseId).sort());
    expect(got.ids).toHaveLength(7 + 6 + 3 + 2 + 2 + 3);
    expect([...got.servedBy]).toEqual(['byCategoryStatus']);
  });

  it('lists the overdue open cases of a category', async () => {
    const expected = made
      .filter(
        (m) => m.category === 'C03' && OPEN.includes(m.status) && !m.restricted && m.due < NOW.toISOString(),
      )
      .sort(byDue)
      .map((m) => m.caseId);
    expect(expected.length).toBeGreaterThan(2);
    const got = await listAll('officer', { overdue: 'true', category: 'C03', limit: '2' });
    expect(got.ids).toEqual(expected);
    expect([...got.servedBy]).toEqual(['byCategoryStatus:overdue']);
  });

  it('moves a case between category partitions when it is reclassified or resolved', async () => {
    const [moved, finished] = made.filter((m) => m.category === 'C05' && m.status === 'in_progress');
    if (!moved || !finished) throw new Error('fixture missing');
    await platform.cases.mutate(moved.caseId, undefined, (cur) => ({
      next: { ...cur, category: 'C07' },
      events: [],
    }));
    await platform.cases.mutate(finished.caseId, undefined, (cur) => ({
      next: { ...cur, status: 'resolved', resolvedAt: NOW.toISOString() },
      events: [],
    }));
    const c05 = await listAll('officer', { status: 'in_progress', category: 'C05', limit: '10' });
    expect(c05.ids).toHaveLength(2);
    expect(c05.ids).not.toContain(moved.caseId);
    expect(c05.ids).not.toContain(finished.caseId);
    const c07 = await listAll('officer', { status: 'in_progress', category: 'C07', limit: '10' });
    expect(c07.ids).toEqual([moved.caseId]);
  });
});
