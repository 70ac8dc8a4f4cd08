/**
 * Time to close in calendar and in working time, with fixed instants and values counted by hand on the Iraq
 * calendar (Sunday to Thursday, 08:00 to 16:00 Baghdad = 05:00 to 13:00 UTC).
 */
import { describe, expect, it } from 'vitest';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import { type Case, CaseSchema } from '#shared/cases/case-schema.ts';
import { caseCounters, contributionDelta, contributionOf, valuesDelta } from '#shared/reports/aggregates.ts';
import { durations } from '#shared/sla/sla.ts';

const HOUR = 3_600_000;

describe('case durations in calendar and working time', () => {
  it('across a weekend: Thursday 14:00 to Sunday 10:00 is 68 h, of which 4 working hours', () => {
    // Thu 5 Mar 2026 14:00-16:00 (2 h), Fri and Sat off, Sun 8 Mar 08:00-10:00 (2 h).
    const d = durations(
      { receivedAt: '2026-03-05T11:00:00.000Z', closedAt: '2026-03-08T07:00:00.000Z' },
      IRAQ_CALENDAR,
      'federal',
    );
    expect(d.toClose).toEqual({ calendarMs: 68 * HOUR, workingMs: 4 * HOUR });
  });

  it('across a holiday: Monday 15:00 to Wednesday 09:00 over Army Day (6 Jan) is 42 h, 2 working hours', () => {
    // Mon 5 Jan 2026 15:00-16:00 (1 h), Tue 6 Jan Army Day (all regions), Wed 7 Jan 08:00-09:00 (1 h).
    const d = durations(
      {
        receivedAt: '2026-01-05T12:00:00.000Z',
        acknowledgedAt: '2026-01-05T12:30:00.000Z',
        firstActionAt: '2026-01-07T05:30:00.000Z',
        resolvedAt: '2026-01-07T06:00:00.000Z',
        closedAt: '2026-01-07T06:00:00.000Z',
      },
      IRAQ_CALENDAR,
      'federal',
    );
    expect(d.toAcknowledge).toEqual({ calendarMs: 0.5 * HOUR, workingMs: 0.5 * HOUR });
    expect(d.toFirstAction).toEqual({ calendarMs: 41.5 * HOUR, workingMs: 1.5 * HOUR });
    expect(d.toClose).toEqual({ calendarMs: 42 * HOUR, workingMs: 2 * HOUR });
  });

  it('keeps the Kurdistan Region’s own holidays: Raperin (5 Mar) closes Erbil, not Baghdad', () => {
    // Wed 4 Mar 2026 15:00 to Sun 8 Mar 09:00: federal 1 + 8 + 1 = 10 h; the Region has Thursday off: 2 h.
    const stamps = { receivedAt: '2026-03-04T12:00:00.000Z', closedAt: '2026-03-08T06:00:00.000Z' };
    expect(durations(stamps, IRAQ_CALENDAR, 'federal').toClose?.workingMs).toBe(10 * HOUR);
    expect(durations(stamps, IRAQ_CALENDAR, 'kri').toClose?.workingMs).toBe(2 * HOUR);
  });
});

const aCase = (patch: Partial<Case>): Case =>
  CaseSchema.parse({
    caseId: 'K7MQ-4XZ9',
    reference: 'K7MQ-4XZ9',
    version: 5,
    status: 'closed',
    channel: 'hotline',
    language: 'ar',
    type: 'complaint',
    category: 'C03',
    sector: null,
    sensitivity: 'S0',
    urgency: 'none',
    classification: {
      source: 'officer',
      changedByOfficer: true,
      automatic: { type: 'complaint', category: 'C04', sensitivity: 'S0', urgency: 'none' },
    },
    narrative: 'x',
    location: { governorate: 'IQG15' },
    consentToFollowUp: true,
    idempotencyKey: 'k',
    receivedAt: '2026-03-05T11:00:00.000Z',
    acknowledgedAt: '2026-03-05T11:00:00.000Z',
    firstActionAt: '2026-03-05T11:00:00.000Z',
    resolvedAt: '2026-03-08T07:00:00.000Z',
    closedAt: '2026-03-08T07:00:00.000Z',
    loopClosedBy: 'sms',
    routing: { focalPoints: ['fp-a', 'fp-b'], ruleId: 'r', routedAt: '2026-03-05T11:00:00.000Z' },
    sla: {
      policyId: 'complaint',
      clock: 'working',
      acknowledgeBy: '2026-03-09T11:00:00.000Z',
      resolveBy: '2026-03-16T11:00:00.000Z',
    },
    createdBy: { kind: 'staff' },
    updatedAt: '2026-03-08T07:00:00.000Z',
    ...patch,
  });

describe('aggregate contributions', () => {
  it('count a closed case with its durations, SLA, loop and reclassification', () => {
    const counters = caseCounters(aCase({}), IRAQ_CALENDAR, 'federal');
    expect(counters).toMatchObject({
      n: 1,
      n_close: 1,
      s_close_c: 68 * HOUR,
      s_close_w: 4 * HOUR,
      n_sla: 1,
      n_within: 1,
      n_loop: 1,
      n_auto: 1,
      n_changed: 1,
    });
    expect(counters.n_open).toBeUndefined();
  });

  it('name the exact time to close, in seconds, on each dimension’s values item of the dekad received', () => {
    const contribution = contributionOf(aCase({}), IRAQ_CALENDAR, 'federal');
    expect(contribution['AGG#category#V|2026-03-d1']).toEqual({ 'c#C03': 68 * 3600, 'w#C03': 4 * 3600 });
    expect(contribution['AGG#all#V|2026-03-d1']).toEqual({ 'c#*': 68 * 3600, 'w#*': 4 * 3600 });
    expect(contribution['AGG#focalPoint#V|2026-03-d1']).toEqual({
      'c#fp-a': 68 * 3600,
      'w#fp-a': 4 * 3600,
      'c#fp-b': 68 * 3600,
      'w#fp-b': 4 * 3600,
    });
    // An open case has no time to close, so it names no values at all.
    const open = contributionOf(
      aCase({ status: 'in_progress', closedAt: undefined, resolvedAt: undefined }),
      IRAQ_CALENDAR,
      'federal',
    );
    expect(Object.keys(open).filter((k) => k.includes('#V'))).toEqual([]);
  });

  it('change the values only where the time to close changes', () => {
    const closed = contributionOf(aCase({}), IRAQ_CALENDAR, 'federal');
    const later = contributionOf(aCase({ closedAt: '2026-03-09T07:00:00.000Z' }), IRAQ_CALENDAR, 'federal');
    expect(valuesDelta(closed, closed)).toEqual({});
    expect(valuesDelta(closed, later)['AGG#category#V|2026-03-d1']).toEqual({
      remove: { 'c#C03': 68 * 3600, 'w#C03': 4 * 3600 },
      add: { 'c#C03': 92 * 3600, 'w#C03': 12 * 3600 },
    });
    // Restricted: the values leave the open scope's item for the restricted one.
    const restricted = contributionOf(aCase({ sensitivity: 'S3' }), IRAQ_CALENDAR, 'federal');
    const moved = valuesDelta(closed, restricted);
    expect(moved['AGG#all#V|2026-03-d1']).toEqual({ remove: { 'c#*': 68 * 3600, 'w#*': 4 * 3600 }, add: {} });
    expect(moved['AGG#all#V#R|2026-03-d1']).toEqual({
      remove: {},
      add: { 'c#*': 68 * 3600, 'w#*': 4 * 3600 },
    });
    // Counters never see the values items.
    expect(Object.keys(contributionDelta({}, closed)).some((k) => k.includes('#V'))).toBe(false);
  });

  it('move a case between groups when it is reclassified or restricted, leaving totals unchanged', () => {
    const before = contributionOf(
      aCase({ status: 'in_progress', closedAt: undefined, resolvedAt: undefined }),
      IRAQ_CALENDAR,
      'federal',
    );
    const after = contributionOf(aCase({ category: 'C06', sensitivity: 'S2' }), IRAQ_CALENDAR, 'federal');
    const delta = contributionDelta(before, after);
    expect(delta['AGG#category#2026|2026-03#C03']).toMatchObject({ n: -1, n_open: -1 });
    expect(delta['AGG#category#2026#R|2026-03#C06']).toMatchObject({ n: 1, n_close: 1 });
    expect(Object.keys(after)).toContain('AGG#focalPoint#2026#R|2026-03#fp-b');
    expect(contributionDelta(after, after)).toEqual({});
  });
});
