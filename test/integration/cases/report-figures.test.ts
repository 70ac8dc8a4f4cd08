/**
 * The time-to-close report's figures against DynamoDB Local, through the projector's stream handler and the
 * report route: medians and 90th percentiles that are the exact ones over the period (checked against a plain
 * sort of the fixture's own times, as a spreadsheet would compute them over the CSV export), restricted cases
 * counted in every total but broken down only for PSEA, and exact lists that survive concurrent projectors and
 * reopened cases.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Platform, usePlatform } from '#functions/lib/platform.ts';
import { handler as projector } from '#functions/projector/handler.ts';
import { handler as reports } from '#functions/reports/handler.ts';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import { workingDurationMs } from '#shared/calendar/working-time.ts';
import { caseKeys } from '#shared/cases/case-keys.ts';
import { type Case, CaseSchema } from '#shared/cases/case-schema.ts';
import { makeAggregateStore } from '#shared/reports/aggregate-store.ts';
import { marshallItem } from '#shared/store/dynamodb.ts';
import { testPlatform } from '../../support/services.ts';
import { call, type Json, type UserName } from './helpers.ts';

const NOW = new Date('2026-03-10T06:00:00.000Z');
const SECOND = 1000;
const HOUR = 3_600_000;

let seq = 0;
async function feed(cases: Case[]): Promise<void> {
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
}

interface Spec {
  id: string;
  received: string;
  category: Case['category'];
  restricted?: boolean;
  /** Seconds from receipt to closure; none: still open. */
  closeAfter?: number;
  withinSla?: boolean;
  loop?: boolean;
}

function caseOf(s: Spec, patch: Partial<Case> = {}): Case {
  const received = Date.parse(s.received);
  const closedAt =
    s.closeAfter === undefined ? undefined : new Date(received + s.closeAfter * SECOND).toISOString();
  return CaseSchema.parse({
    caseId: s.id,
    reference: 'K7MQ-4XZ9',
    version: 3,
    status: closedAt ? 'closed' : 'in_progress',
    channel: 'hotline',
    language: 'ar',
    type: 'complaint',
    category: s.category,
    sector: null,
    sensitivity: s.restricted ? 'S3' : 'S0',
    urgency: 'none',
    classification: { source: 'officer', changedByOfficer: false },
    narrative: 'x',
    location: { governorate: 'IQG15' },
    consentToFollowUp: true,
    idempotencyKey: `k-${s.id}`,
    receivedAt: s.received,
    acknowledgedAt: s.received,
    firstActionAt: s.received,
    resolvedAt: closedAt,
    closedAt,
    loopClosedBy: closedAt && s.loop ? 'sms' : undefined,
    routing: {
      focalPoints: [s.restricted ? 'psea-focal-point' : 'accountability-officer'],
      ruleId: 'r',
      routedAt: s.received,
    },
    sla: {
      policyId: 'complaint',
      clock: 'working',
      acknowledgeBy: s.received,
      // Due at the closing instant or one second before it.
      resolveBy: closedAt
        ? new Date(Date.parse(closedAt) - (s.withinSla === false ? SECOND : 0)).toISOString()
        : '2026-12-31T00:00:00.000Z',
    },
    createdBy: { kind: 'staff' },
    updatedAt: closedAt ?? s.received,
    ...patch,
  });
}

/** The p-th percentile of plain numbers, interpolated between the nearest ranks (a spreadsheet's PERCENTILE.INC). */
function spreadsheetPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = sorted[Math.floor(rank)] as number;
  const hi = sorted[Math.ceil(rank)] as number;
  return lo + (hi - lo) * (rank - Math.floor(rank));
}

// Received from November 2025 to February 2026, at varied hours; closed after uneven times (whole seconds).
const SPECS: Spec[] = Array.from({ length: 40 }, (_, i): Spec => {
  const month = ['2025-11', '2025-12', '2026-01', '2026-02'][i % 4] as string;
  const day = String(2 + (i % 25)).padStart(2, '0');
  const hour = String(4 + (i % 9)).padStart(2, '0');
  return {
    id: `fig-${i}`,
    received: `${month}-${day}T${hour}:${String((i * 7) % 60).padStart(2, '0')}:00.000Z`,
    category: i % 5 === 0 ? 'C07' : i % 2 ? 'C03' : 'C04',
    restricted: i % 5 === 0,
    closeAfter: i % 6 === 5 ? undefined : 3_000 + ((i * 7919) % 97) * 3_607 + i * 13,
    withinSla: i % 3 !== 0,
    loop: i % 4 !== 0,
  };
});

describe('time-to-close report figures', () => {
  let platform: Platform;
  const report = async (user: UserName, query: Record<string, string>): Promise<Json> => {
    const res = await call(reports, 'GET /api/reports/time-to-close', { user, query });
    expect(res.status, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    platform = await testPlatform({ now: () => NOW });
    usePlatform(platform);
    await feed(SPECS.map((s) => caseOf(s)));
  });

  it('gives the exact median and 90th percentile over months of two years, as a spreadsheet would', async () => {
    const body = await report('manager', { groupBy: 'category', from: '2025-11', to: '2026-02' });
    for (const category of ['C03', 'C04']) {
      const closed = SPECS.filter((s) => s.category === category && s.closeAfter !== undefined);
      const calendarMs = closed.map((s) => (s.closeAfter as number) * SECOND);
      const workingMs = closed.map((s) => {
        const from = Date.parse(s.received);
        return workingDurationMs(IRAQ_CALENDAR, from, from + (s.closeAfter as number) * SECOND);
      });
      const group = (body.groups as Json[]).find((g) => g.group === category);
      expect(group.closed).toBe(closed.length);
      expect(group.timeToClose.calendar).toEqual({
        count: closed.length,
        medianMs: Math.round(spreadsheetPercentile(calendarMs, 50)),
        p90Ms: Math.round(spreadsheetPercentile(calendarMs, 90)),
      });
      // Working time is kept to the second, as the calendar figure is.
      const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(SECOND);
      near(group.timeToClose.working.medianMs, spreadsheetPercentile(workingMs, 50));
      near(group.timeToClose.working.p90Ms, spreadsheetPercentile(workingMs, 90));
    }
    // The total covers every closed case of the period, restricted ones too.
    const all = SPECS.filter((s) => s.closeAfter !== undefined).map((s) => (s.closeAfter as number) * SECOND);
    expect(body.total.timeToClose.calendar).toEqual({
      count: all.length,
      medianMs: Math.round(spreadsheetPercentile(all, 50)),
      p90Ms: Math.round(spreadsheetPercentile(all, 90)),
    });
  });

  it('counts restricted cases in every total without breaking them down, except for PSEA', async () => {
    const restricted = SPECS.filter((s) => s.restricted);
    const q = { from: '2025-11', to: '2026-02' };
    for (const groupBy of ['category', 'channel', 'governorate', 'focalPoint', 'month']) {
      const manager = await report('manager', { ...q, groupBy });
      expect(manager.includesRestricted).toBe(false);
      expect(manager.total.received, groupBy).toBe(SPECS.length);
      expect(manager.restricted, groupBy).toEqual({
        received: restricted.length,
        closed: restricted.filter((s) => s.closeAfter !== undefined).length,
        open: restricted.filter((s) => s.closeAfter === undefined).length,
        inGroups: false,
      });
      expect(JSON.stringify(manager.groups)).not.toContain('psea-focal-point');
      expect((manager.groups as Json[]).map((g) => g.group)).not.toContain('C07');
      if (groupBy !== 'focalPoint') {
        // What the groups show plus the restricted cases is every case: none is silently left out.
        const shown = (manager.groups as Json[]).reduce((n, g) => n + g.received, 0);
        expect(shown + manager.restricted.received, groupBy).toBe(manager.total.received);
      }
    }
    const psea = await report('psea', { ...q, groupBy: 'category' });
    expect(psea.restricted.inGroups).toBe(true);
    expect((psea.groups as Json[]).find((g) => g.group === 'C07')?.received).toBe(restricted.length);
    // The same total, but for the downgrade figures, which speak of restricted cases (PSEA's only).
    const { downgraded, ...pseaTotal } = psea.total as Json;
    expect(downgraded).toMatchObject({ restricted: expect.any(Number), downgraded: 0 });
    expect(pseaTotal).toEqual((await report('manager', { ...q, groupBy: 'category' })).total);
  });

  it('gives every share the count it is a share of', async () => {
    const body = await report('manager', { groupBy: 'month', from: '2025-12', to: '2025-12' });
    const december = SPECS.filter((s) => s.received.startsWith('2025-12') && !s.restricted);
    const closed = december.filter((s) => s.closeAfter !== undefined);
    const [month] = body.groups as Json[];
    expect(month.group).toBe('2025-12');
    expect(month.received).toBe(december.length);
    expect(month.withinSla).toEqual({
      resolved: closed.length,
      within: closed.filter((s) => s.withinSla).length,
      share: Math.round((closed.filter((s) => s.withinSla).length / closed.length) * 1000) / 1000,
    });
    expect(month.loopClosed.closed).toBe(closed.length);
    expect(month.loopClosed.loopClosed).toBe(closed.filter((s) => s.loop).length);
  });

  it('keeps every exact time when projectors write the same dekad at once', async () => {
    const specs = Array.from(
      { length: 12 },
      (_, i): Spec => ({
        id: `par-${i}`,
        // The same day, so one values item (the dekad's) that every projector rewrites.
        received: `2025-06-03T${String(4 + i).padStart(2, '0')}:00:00.000Z`,
        category: 'C01',
        closeAfter: 1000 * (i + 1) + i,
      }),
    );
    await Promise.all(specs.map((s) => feed([caseOf(s)])));
    const store = makeAggregateStore({ db: platform.db, tableName: platform.tableName });
    const rows = await store.readValues('category', '2025-06', '2025-06', false);
    expect(rows.flatMap((r) => r.lists['c#C01'] ?? [])).toEqual(specs.map((s) => s.closeAfter));
    const body = await report('officer', { groupBy: 'category', from: '2025-06', to: '2025-06' });
    expect((body.groups as Json[])[0]?.timeToClose.calendar.count).toBe(12);
  });

  it("takes a reopened case's old time out and puts its new one in", async () => {
    const spec: Spec = {
      id: 'reopened',
      received: '2025-05-04T06:00:00.000Z',
      category: 'C02',
      closeAfter: 48 * 3600,
    };
    await feed([caseOf(spec, { version: 4 })]);
    await feed([
      caseOf(
        { ...spec, closeAfter: undefined },
        { version: 5, status: 'reopened', reopenedAt: '2025-05-07T06:00:00.000Z' },
      ),
    ]);
    let body = await report('officer', { groupBy: 'category', from: '2025-05', to: '2025-05' });
    expect((body.groups as Json[])[0]?.timeToClose.calendar).toEqual({ count: 0 });
    await feed([caseOf({ ...spec, closeAfter: 96 * 3600 }, { version: 6 })]);
    body = await report('officer', { groupBy: 'category', from: '2025-05', to: '2025-05' });
    expect((body.groups as Json[])[0]?.timeToClose.calendar).toEqual({
      count: 1,
      medianMs: 96 * HOUR,
      p90Ms: 96 * HOUR,
    });
  });
});
