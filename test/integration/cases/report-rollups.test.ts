/**
 * Quarterly roll-ups of the time-to-close aggregates: the report over whole calendar quarters (read from the roll-ups, alone or with leftover months) must equal the report summed from the monthly rows over the same data, replays
 * and late images included; and a year projected before the roll-ups existed stays on the monthly rows.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import { handler as projector } from '#functions/projector/handler.ts';
import { handler as reports } from '#functions/reports/handler.ts';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import { caseKeys } from '#shared/cases/case-keys.ts';
import { type Case, CaseSchema } from '#shared/cases/case-schema.ts';
import { makeAggregateStore } from '#shared/reports/aggregate-store.ts';
import { aggKeys, contributionOf } from '#shared/reports/aggregates.ts';
import { buildReport, dimensionFor, type GroupBy } from '#shared/reports/time-to-close.ts';
import { marshallItem } from '#shared/store/dynamodb.ts';
import { testPlatform } from '../../support/services.ts';
import { call, type UserName } from './helpers.ts';

const NOW = new Date('2026-06-20T06:00:00.000Z');
const HOUR = 3_600_000;
const CATEGORIES = ['C01', 'C03', 'C04', 'C06'];
const CHANNELS = ['sms', 'hotline', 'web'] as const;
const STATUSES = ['new', 'acknowledged', 'resolved', 'closed', 'closed'] as const;

/** Case `i` of the fixture: received across Jan 2025 to Jun 2026, every fifth one restricted. */
function fixtureCase(i: number, patch: Partial<Case> = {}): Case {
  const month = i % 18; // 0 = 2025-01 … 17 = 2026-06
  const year = 2025 + Math.floor(month / 12);
  const received = Date.UTC(year, month % 12, 1 + (i % 27), 6 + (i % 5));
  const status = STATUSES[i % STATUSES.length] ?? 'new';
  const at = (hours: number) => new Date(received + hours * HOUR).toISOString();
  const done = status === 'resolved' || status === 'closed';
  return CaseSchema.parse({
    caseId: `roll-${i}`,
    reference: 'K7MQ-4XZ9',
    version: 3,
    status,
    channel: CHANNELS[i % CHANNELS.length],
    language: 'ar',
    type: 'complaint',
    category: CATEGORIES[i % CATEGORIES.length],
    sector: null,
    sensitivity: i % 5 === 0 ? 'S3' : 'S0',
    urgency: 'none',
    classification: {
      source: 'classifier',
      changedByOfficer: i % 3 === 0,
      automatic: { type: 'complaint', category: 'C01', sensitivity: 'S0', urgency: 'none' },
    },
    narrative: 'x',
    location: { governorate: i % 2 ? 'IQG15' : 'IQG11' },
    consentToFollowUp: true,
    idempotencyKey: `k-${i}`,
    receivedAt: at(0),
    acknowledgedAt: status === 'new' ? undefined : at(2 + (i % 7)),
    firstActionAt: status === 'new' ? undefined : at(20 + i),
    resolvedAt: done ? at(30 + 7 * i) : undefined,
    closedAt: status === 'closed' ? at(40 + 11 * i) : undefined,
    loopClosedBy: status === 'closed' && i % 2 ? 'sms' : undefined,
    routing: {
      focalPoints: i % 4 === 0 ? ['fp-a', 'fp-b'] : ['fp-a'],
      ruleId: 'r',
      routedAt: at(0),
    },
    sla: {
      policyId: 'complaint',
      clock: 'working',
      acknowledgeBy: at(48),
      resolveBy: at(200),
    },
    createdBy: { kind: 'staff' },
    updatedAt: at(0),
    ...patch,
  });
}

const PERIODS: [string, string][] = [
  ['2025-01', '2025-12'], // one whole year
  ['2025-01', '2026-06'], // a whole year and six months
  ['2025-04', '2026-12'], // nine months and a whole year (half of it still empty)
  ['2024-01', '2026-06'], // a year with no data at all, a whole year, six months
  ['2025-07', '2026-06'], // four whole quarters across two years
  ['2025-02', '2025-11'], // two months, two whole quarters, two months
  ['2026-02', '2026-03'], // months inside one quarter only
];
const GROUPINGS: GroupBy[] = ['category', 'channel', 'governorate', 'focalPoint'];
const ROLES: UserName[] = ['manager', 'psea'];

describe('quarterly roll-ups of the time-to-close aggregates', () => {
  let seq = 0;
  const feed = async (cases: Case[]) => {
    const event = {
      Records: cases.map((c) => ({
        eventName: 'MODIFY',
        dynamodb: {
          NewImage: marshallItem({ ...caseKeys.case(c.caseId), entity: 'case', ...c }),
          SequenceNumber: String(++seq),
        },
      })),
    } as unknown as DynamoDBStreamEvent;
    expect((await projector(event)).batchItemFailures).toEqual([]);
  };

  /** The report as the month path alone builds it over the same rows. */
  const monthReport = async (
    p: Platform,
    groupBy: GroupBy,
    from: string,
    to: string,
    restricted: boolean,
  ) => {
    const store = makeAggregateStore({ db: p.db, tableName: p.tableName });
    const dimension = dimensionFor(groupBy);
    const rows = await store.read(dimension, from, to, true);
    const values = await store.readValues(dimension, from, to, true);
    const focal = dimension === 'focalPoint';
    return buildReport(
      groupBy,
      {
        rows,
        values,
        totalRows: focal ? await store.read('all', from, to, true) : rows,
        totalValues: focal ? await store.readValues('all', from, to, true) : values,
      },
      { includeRestricted: restricted },
      NOW,
    );
  };

  const compareAll = async (p: Platform) => {
    let compared = 0;
    for (const [from, to] of PERIODS)
      for (const groupBy of GROUPINGS)
        for (const user of ROLES) {
          const res = await call(reports, 'GET /api/reports/time-to-close', {
            user,
            query: { groupBy, from, to },
          });
          expect(res.status, res.body).toBe(200);
          const body = res.json();
          const expected = await monthReport(p, groupBy, from, to, body.includesRestricted);
          expect(
            { groups: body.groups, total: body.total, restricted: body.restricted },
            `${groupBy} ${from}..${to} ${user}`,
          ).toEqual({ groups: expected.groups, total: expected.total, restricted: expected.restricted });
          compared++;
        }
    return compared;
  };

  describe('over data projected with roll-ups from the start', () => {
    let platform: Platform;
    const cases = Array.from({ length: 60 }, (_, i) => fixtureCase(i));

    beforeAll(async () => {
      platform = await testPlatform({ now: () => NOW });
      usePlatform(platform);
      // Version 2 of some cases in another category, then version 3: they move group in the months and the
      // roll-ups alike. Then a replay of the latest images and a late older image: counted once, as the latest.
      const early = cases
        .filter((_, i) => i % 6 === 1)
        .map((c) => ({ ...c, version: 2, category: 'C09' as const, status: 'new' as const }));
      await feed(early);
      await feed(cases);
      await feed([...cases.slice(0, 10), ...early.slice(0, 3)]);
    });

    it('reads whole years from four quarter items per group, which add up to the cases of the year', async () => {
      const store = makeAggregateStore({ db: platform.db, tableName: platform.tableName });
      for (const year of ['2025', '2026']) {
        const marker = await platform.db.get(platform.tableName, aggKeys.rollupMarker(year), true);
        expect(marker?.complete).toBe(true);
      }
      const rows = await store.readPeriod('category', '2025-01', '2025-12', true);
      expect(rows.every((r) => /^2025-Q[1-4]$/.test(r.month))).toBe(true);
      expect(new Set(rows.map((r) => `${r.month}/${r.group}/${r.restricted}`)).size).toBe(rows.length);
      const received = (cat: string, restricted: boolean) =>
        cases.filter(
          (c) =>
            c.receivedAt.startsWith('2025') && c.category === cat && (c.sensitivity === 'S3') === restricted,
        ).length;
      for (const cat of CATEGORIES)
        for (const restricted of [false, true]) {
          const n = rows
            .filter((r) => r.group === cat && r.restricted === restricted)
            .reduce((a, r) => a + (r.counters.n ?? 0), 0);
          expect(n, `${cat} ${restricted}`).toBe(received(cat, restricted));
        }
      expect(rows.some((r) => r.group === 'C09' && (r.counters.n ?? 0) !== 0)).toBe(false);
      // Whole quarters come from their roll-ups, the months around them from the monthly rows.
      const span = await store.readPeriod('category', '2025-02', '2025-11', true);
      expect([...new Set(span.map((r) => r.month))].sort()).toEqual([
        '2025-02',
        '2025-03',
        '2025-10',
        '2025-11',
        '2025-Q2',
        '2025-Q3',
      ]);
      const inSpan = cases.filter((c) => c.receivedAt >= '2025-02' && c.receivedAt < '2025-12').length;
      expect(span.reduce((n, r) => n + (r.counters.n ?? 0), 0)).toBe(inSpan);
      // Focal points keep no roll-ups (a case may have twenty): their reports read the months.
      const byFocalPoint = await store.readPeriod('focalPoint', '2025-01', '2025-12', true);
      expect(byFocalPoint.length).toBeGreaterThan(0);
      expect(byFocalPoint.every((r) => /^2025-\d\d$/.test(r.month))).toBe(true);
      // Month rows are untouched by the roll-ups sharing their partition.
      const months = await store.read('category', '2025-01', '2025-12', true);
      expect(months.every((r) => /^2025-\d\d$/.test(r.month))).toBe(true);
    });

    it('reads whole quarters across a new year with one Query per scope', async () => {
      let queries = 0;
      const counted = new Proxy(platform.db, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (prop !== 'query' || typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            queries++;
            return value.apply(target, args);
          };
        },
      });
      const store = makeAggregateStore({ db: counted, tableName: platform.tableName });
      const rows = await store.readPeriod('category', '2025-07', '2026-06', false);
      expect(queries).toBe(1);
      expect([...new Set(rows.map((r) => r.month))].sort()).toEqual([
        '2025-Q3',
        '2025-Q4',
        '2026-Q1',
        '2026-Q2',
      ]);
      const inPeriod = cases.filter(
        (c) => c.receivedAt >= '2025-07' && c.receivedAt < '2026-07' && c.sensitivity !== 'S3',
      ).length;
      expect(rows.reduce((n, r) => n + (r.counters.n ?? 0), 0)).toBe(inPeriod);
      queries = 0;
      await store.readPeriod('category', '2025-07', '2026-06', true);
      expect(queries).toBe(2); // the restricted scope is a partition of its own
    });

    it('reports the same figures from roll-ups (with leftover months) as from the months alone', async () => {
      expect(await compareAll(platform)).toBe(PERIODS.length * GROUPINGS.length * ROLES.length);
    });

    it('keeps grouping by month on the monthly rows', async () => {
      const res = await call(reports, 'GET /api/reports/time-to-close', {
        user: 'manager',
        query: { groupBy: 'month', from: '2025-01', to: '2026-06' },
      });
      const groups = res.json().groups as { group: string }[];
      expect(groups.map((g) => g.group)).toEqual([
        ...Array.from({ length: 12 }, (_, m) => `2025-${String(m + 1).padStart(2, '0')}`),
        ...Array.from({ length: 6 }, (_, m) => `2026-${String(m + 1).padStart(2, '0')}`),
      ]);
    });
  });

  it('moves a case with twenty focal points to twenty others, and every other group, in one transaction', async () => {
    const platform = await testPlatform({ now: () => NOW });
    usePlatform(platform);
    const fps = (p: string) => Array.from({ length: 20 }, (_, n) => `${p}-${n}`);
    const before = fixtureCase(10, {
      version: 1,
      routing: { focalPoints: fps('a'), ruleId: 'r', routedAt: NOW.toISOString() },
    });
    const after = fixtureCase(10, {
      version: 2,
      category: 'C09',
      channel: 'web',
      sensitivity: 'S0',
      location: { governorate: 'IQG01' },
      routing: { focalPoints: fps('b'), ruleId: 'r', routedAt: NOW.toISOString() },
      // Closed as it moves, so its exact times to close join the values items in the same transaction.
      status: 'closed',
      resolvedAt: NOW.toISOString(),
      closedAt: NOW.toISOString(),
    });
    expect(before.sensitivity).not.toBe(after.sensitivity); // the scope moves too: every item changes
    await feed([before]);
    await feed([after]);
    const store = makeAggregateStore({ db: platform.db, tableName: platform.tableName });
    const month = after.receivedAt.slice(0, 7);
    const rows = await store.read('focalPoint', month, month, true);
    const counted = rows.filter((r) => (r.counters.n ?? 0) > 0).map((r) => r.group);
    expect(counted.sort()).toEqual(fps('b').sort());
    const values = await store.readValues('focalPoint', month, month, true);
    expect(Object.keys(values.find((v) => !v.restricted)?.lists ?? {}).sort()).toEqual(
      fps('b')
        .flatMap((fp) => [`c#${fp}`, `w#${fp}`])
        .sort(),
    );
  });

  describe('over a year projected before the roll-ups existed', () => {
    let platform: Platform;

    beforeAll(async () => {
      platform = await testPlatform({ now: () => NOW });
      usePlatform(platform);
      // What the former projector left: monthly rows and markers without roll-ups, and no roll-up marker.
      const legacy = Array.from({ length: 30 }, (_, i) => fixtureCase(i));
      const months = new Map<string, Record<string, number>>();
      for (const c of legacy) {
        const contribution = Object.fromEntries(
          Object.entries(contributionOf(c, IRAQ_CALENDAR, 'federal')).filter(([k]) =>
            /\|\d{4}-\d\d#/.test(k),
          ),
        );
        for (const [key, counters] of Object.entries(contribution)) {
          const sum = months.get(key) ?? {};
          for (const [k, v] of Object.entries(counters)) sum[k] = (sum[k] ?? 0) + v;
          months.set(key, sum);
        }
        await platform.db.put({
          TableName: platform.tableName,
          Item: {
            pk: `PROJ#${c.caseId}`,
            sk: 'PROJ',
            entity: 'projection',
            caseId: c.caseId,
            version: 3,
            contribution,
          },
        });
      }
      for (const [key, counters] of months) {
        const [pk, sk] = key.split('|') as [string, string];
        await platform.db.put({
          TableName: platform.tableName,
          Item: { pk, sk, entity: 'aggregate', ...counters },
        });
      }
      // Then the new projector: new cases in both years, and one legacy case changed (it joins the roll-ups).
      await feed([
        ...Array.from({ length: 30 }, (_, i) => fixtureCase(30 + i)),
        fixtureCase(7, { version: 4, category: 'C09' }),
      ]);
    });

    it('marks those years incomplete, leaves their roll-ups partial, and reports them from the months', async () => {
      for (const year of ['2025', '2026']) {
        const marker = await platform.db.get(platform.tableName, aggKeys.rollupMarker(year), true);
        expect(marker?.complete).toBe(false);
      }
      const store = makeAggregateStore({ db: platform.db, tableName: platform.tableName });
      const rollups = await store.readPeriod('all', '2025-01', '2025-12', true);
      expect(rollups.every((r) => /^2025-\d\d$/.test(r.month))).toBe(true);
      const sum = (rows: { counters: Record<string, number> }[]) =>
        rows.reduce((a, r) => a + (r.counters.n ?? 0), 0);
      const all2025 = Array.from({ length: 60 }, (_, i) => fixtureCase(i)).filter((c) =>
        c.receivedAt.startsWith('2025'),
      ).length;
      expect(sum(rollups)).toBe(all2025);
      // The roll-ups themselves hold only what the new projector wrote: cases 30-59 and the changed case 7.
      const written = [7, ...Array.from({ length: 30 }, (_, i) => 30 + i)].filter((i) =>
        fixtureCase(i).receivedAt.startsWith('2025'),
      ).length;
      const partial = await Promise.all(
        ['2025-01', '2025-04', '2025-07', '2025-10'].flatMap((month) =>
          [false, true].map((r) =>
            platform.db.get(platform.tableName, aggKeys.quarter('all', month, '*', r), true),
          ),
        ),
      );
      expect(partial.reduce((a, it) => a + Number(it?.n ?? 0), 0)).toBe(written);
      expect(written).toBeLessThan(all2025);
      expect(await compareAll(platform)).toBe(PERIODS.length * GROUPINGS.length * ROLES.length);
    });
  });
});
