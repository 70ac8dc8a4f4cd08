import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionChange } from '#functions/cases/lifecycle.ts';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import type { TransitionAction } from '#shared/cases/transitions.ts';
import { testPlatform } from '../../support/services.ts';
import { listAll, seedDueCase } from './helpers.ts';

const NOW = new Date('2026-03-03T09:00:00.000Z');
const HOUR = 3_600_000;
const STAFF = { kind: 'staff', id: 'u-officer', role: 'officer' } as const;

interface Spec {
  status: Case['status'];
  /** Hours from NOW to the case's due time (negative: overdue). */
  dueIn: number;
  restricted?: boolean;
  waiting?: boolean;
  governorate: 'IQG15' | 'IQG07';
}

interface Made extends Spec {
  caseId: string;
  due: string;
}

describe('the overdue list across every open status (byOpenDue) against DynamoDB Local', () => {
  let platform: Platform;
  const made: Made[] = [];

  beforeAll(async () => {
    platform = await testPlatform({ now: () => NOW });
    usePlatform(platform);
    const specs: Spec[] = [];
    const add = (n: number, s: Omit<Spec, 'dueIn' | 'governorate'>) => {
      // Due times interleave across statuses, most already past; governorates alternate.
      for (let i = 0; i < n; i++) {
        const k = specs.length;
        specs.push({ ...s, dueIn: ((k * 11) % 37) - 28, governorate: k % 3 === 0 ? 'IQG15' : 'IQG07' });
      }
    };
    add(6, { status: 'new' });
    add(5, { status: 'acknowledged' });
    add(6, { status: 'in_progress' });
    add(3, { status: 'referred' });
    add(3, { status: 'reopened' });
    add(3, { status: 'in_progress', waiting: true });
    add(3, { status: 'new', restricted: true });
    add(2, { status: 'in_progress', restricted: true });
    add(4, { status: 'resolved' });
    add(4, { status: 'closed' });
    add(1, { status: 'closed', restricted: true });
    for (const [i, s] of specs.entries()) {
      // A distinct second per case keeps due times apart, so the expected order does not rest on case ids.
      const due = new Date(NOW.getTime() + s.dueIn * HOUR + i * 1000).toISOString();
      const done = new Date(NOW.getTime() - (i + 1) * HOUR).toISOString();
      const caseId = await seedDueCase(platform, {
        key: `overdue-list-${i}`,
        narrative: `Overdue list case ${i}`,
        status: s.status,
        category: i % 2 ? 'C03' : null,
        due,
        done,
        restricted: s.restricted,
        waiting: s.waiting,
        governorate: s.governorate,
      });
      made.push({ ...s, caseId, due });
    }
  });
  afterAll(() => usePlatform(undefined));

  const OPEN = ['new', 'acknowledged', 'in_progress', 'referred', 'reopened'];
  const byDue = (a: Made, b: Made) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0);
  const overdue = (m: Made) => OPEN.includes(m.status) && !m.waiting && m.due < NOW.toISOString();

  /** Everything in one byOpenDue partition, read straight from the index. */
  async function openPartition(pk: string) {
    const out: { caseId: string; sk: string }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await platform.db.query({
        TableName: platform.tableName,
        IndexName: 'byOpenDue',
        KeyConditionExpression: 'gsi5pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: start,
      });
      out.push(...page.items.map((i) => ({ caseId: String(i.caseId), sk: String(i.gsi5sk) })));
      start = page.lastKey;
    } while (start);
    return out;
  }

  it('holds every open case, and only open ones, restricted ones in OPEN#R, by due time', async () => {
    const open = made.filter((m) => OPEN.includes(m.status));
    const want = (restricted: boolean) =>
      open
        .filter((m) => Boolean(m.restricted) === restricted)
        .sort(byDue)
        .map((m) => ({ caseId: m.caseId, sk: `${m.due}#${m.caseId}` }));
    expect(await openPartition('OPEN')).toEqual(want(false));
    expect(await openPartition('OPEN#R')).toEqual(want(true));
    expect(want(false)).toHaveLength(6 + 5 + 6 + 3 + 3 + 3);
    expect(want(true)).toHaveLength(5);
  });

  it('lists the overdue cases soonest due first from byOpenDue, each exactly once across pages', async () => {
    const expected = made.filter((m) => overdue(m) && !m.restricted).sort(byDue);
    // The fixture has overdue cases in every open status, and cases that are not overdue, to leave out.
    expect(new Set(expected.map((m) => m.status))).toEqual(new Set(OPEN));
    expect(made.some((m) => OPEN.includes(m.status) && m.due > NOW.toISOString())).toBe(true);
    const got = await listAll('officer', { overdue: 'true', limit: '4' });
    expect(got.ids).toEqual(expected.map((m) => m.caseId));
    expect(got.pages).toBeGreaterThanOrEqual(Math.ceil(expected.length / 4));
    expect([...got.servedBy]).toEqual(['byOpenDue:overdue']);
  });

  it('leaves out cases waiting on the complainant, however overdue', async () => {
    const waiting = made.filter((m) => m.waiting && m.due < NOW.toISOString());
    expect(waiting.length).toBeGreaterThan(0);
    const got = await listAll('officer', { overdue: 'true', limit: '100' });
    for (const m of waiting) expect(got.ids).not.toContain(m.caseId);
  });

  it('merges the restricted partition for psea only', async () => {
    const restricted = made.filter((m) => overdue(m) && m.restricted);
    expect(restricted.length).toBeGreaterThan(0);
    const psea = await listAll('psea', { overdue: 'true', limit: '3' });
    expect(psea.ids).toEqual(
      made
        .filter(overdue)
        .sort(byDue)
        .map((m) => m.caseId),
    );
    expect([...psea.servedBy]).toEqual(['byOpenDue:overdue']);
    const officer = await listAll('officer', { overdue: 'true', limit: '100' });
    for (const m of restricted) expect(officer.ids).not.toContain(m.caseId);
  });

  it('keeps the user’s governorate scope and the other filters inside the one Query', async () => {
    const ninewa = await listAll('officerNinewa', { overdue: 'true', limit: '3' });
    const expected = made.filter((m) => overdue(m) && !m.restricted && m.governorate === 'IQG15').sort(byDue);
    expect(expected.length).toBeGreaterThan(1);
    expect(ninewa.ids).toEqual(expected.map((m) => m.caseId));
    expect([...ninewa.servedBy]).toEqual(['byOpenDue:overdue']);
    // "list case 1" is in the narratives of cases 1 and 10 to 19.
    const matching = made
      .map((m, i) => ({ m, i }))
      .filter(({ m, i }) => overdue(m) && !m.restricted && m.governorate === 'IQG07' && /^1/.test(String(i)))
      .map(({ m }) => m)
      .sort(byDue);
    expect(matching.length).toBeGreaterThan(1);
    const text = await listAll('officer', { overdue: 'true', governorate: 'IQG07', text: 'list case 1' });
    expect(text.ids).toEqual(matching.map((m) => m.caseId));
    expect([...text.servedBy]).toEqual(['byOpenDue:overdue']);
  });

  it('keeps an explicit status on its byStatusDue partition', async () => {
    const expected = made
      .filter((m) => overdue(m) && !m.restricted && m.status === 'acknowledged')
      .sort(byDue);
    expect(expected.length).toBeGreaterThan(0);
    const got = await listAll('officer', { overdue: 'true', status: 'acknowledged', limit: '2' });
    expect(got.ids).toEqual(expected.map((m) => m.caseId));
    expect([...got.servedBy]).toEqual(['byStatusDue:overdue']);
  });

  it('takes a case out of byOpenDue when it is resolved and closed, and back in when it is reopened', async () => {
    const target = made
      .filter((m) => overdue(m) && !m.restricted && m.status === 'in_progress')
      .sort(byDue)[1];
    if (!target) throw new Error('fixture missing');
    // Through the lifecycle's transitions, as the case API, the sweeper and the projector make them.
    const move = (caseId: string, action: TransitionAction) =>
      platform.cases.mutate(caseId, undefined, (current, at) =>
        transitionChange(current, action, at, { actor: STAFF }),
      );
    const item = () => platform.db.get(platform.tableName, { pk: `CASE#${target.caseId}`, sk: 'CASE' }, true);
    const listed = async () => (await listAll('officer', { overdue: 'true', limit: '100' })).ids;
    expect(await listed()).toContain(target.caseId);

    await move(target.caseId, 'resolve');
    expect(await item()).not.toHaveProperty('gsi5pk');
    expect(await item()).not.toHaveProperty('gsi5sk');
    expect(await listed()).not.toContain(target.caseId);

    await move(target.caseId, 'close');
    expect(await item()).not.toHaveProperty('gsi5pk');
    expect((await openPartition('OPEN')).map((e) => e.caseId)).not.toContain(target.caseId);

    await move(target.caseId, 'reopen');
    expect(await item()).toMatchObject({ gsi5pk: 'OPEN', gsi5sk: `${target.due}#${target.caseId}` });
    // Back in its place: a reopened case is due by its acknowledgement time, which the fixture set to `due`.
    expect(await listed()).toEqual(
      made
        .filter((m) => overdue(m) && !m.restricted)
        .sort(byDue)
        .map((m) => m.caseId),
    );
  });
});
