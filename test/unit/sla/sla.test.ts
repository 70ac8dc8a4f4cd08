import { describe, expect, it } from 'vitest';
import { type Calendar, CalendarSchema } from '#shared/calendar/calendar-schema.ts';
import { DEFAULT_SLA_POLICIES } from '#shared/sla/default-policies.ts';
import {
  type CaseLike,
  computeDueTimes,
  durations,
  escalationsDue,
  inWarningWindow,
  selectPolicy,
  shiftDueTimes,
} from '#shared/sla/sla.ts';
import { type SlaPolicy, SlaPolicySchema } from '#shared/sla/sla-schema.ts';

// March 2026 starts on a Sunday; Baghdad is UTC+3 (08:00 local = 05:00Z, 16:00 local = 13:00Z).
// Holidays: Sunday 22 March everywhere, Thursday 5 March in the Kurdistan Region only.
const calendar: Calendar = CalendarSchema.parse({
  id: 'test',
  name: 'test',
  holidays: [
    { date: '2026-03-22', name: 'Eid', scope: 'all' },
    { date: '2026-03-05', name: 'Uprising Day', scope: 'kri' },
  ],
});

const HOUR = 3_600_000;
const policy = (id: string): SlaPolicy => {
  const p = DEFAULT_SLA_POLICIES.find((x) => x.id === id);
  if (!p) throw new Error(`no default policy ${id}`);
  return p;
};
const kase = (patch: Partial<CaseLike>): CaseLike => ({
  sensitivity: 'S0',
  urgency: 'none',
  type: 'complaint',
  category: 'C03',
  ...patch,
});

describe('selectPolicy', () => {
  const pick = (c: Partial<CaseLike>, policies: readonly SlaPolicy[] = DEFAULT_SLA_POLICIES) =>
    selectPolicy(policies, kase(c))?.id;

  it('follows the design table', () => {
    expect(pick({ sensitivity: 'S3', urgency: 'urgent', category: 'C07' })).toBe('s3');
    expect(pick({ sensitivity: 'S2', category: 'C06' })).toBe('s2');
    expect(pick({ urgency: 'urgent' })).toBe('urgent');
    expect(pick({})).toBe('complaint');
    expect(pick({ type: 'question', category: null })).toBe('question');
    expect(pick({ type: 'praise', category: null })).toBe('feedback');
    expect(pick({ type: 'observation', category: null })).toBe('feedback');
  });

  it('falls back to the catch-all for what the table does not name', () => {
    expect(pick({ type: 'request' })).toBe('default');
    expect(pick({ type: null, category: null })).toBe('default');
    expect(pick({ sensitivity: 'S1', type: 'incomplete' })).toBe('default');
  });

  it('does not depend on the order the policies are listed in', () => {
    const reversed = [...DEFAULT_SLA_POLICIES].reverse();
    for (const c of [
      { sensitivity: 'S3' as const },
      { urgency: 'urgent' as const },
      { type: 'praise' as const },
      {},
    ]) {
      expect(pick(c, reversed)).toBe(pick(c));
    }
  });

  it('lets a category-specific policy beat the type policy but not urgency', () => {
    const cash = SlaPolicySchema.parse({
      ...policy('complaint'),
      id: 'cash',
      name: 'Cash complaints',
      match: { types: ['complaint'], categories: ['C04'] },
    });
    const policies = [...DEFAULT_SLA_POLICIES, cash];
    expect(pick({ category: 'C04' }, policies)).toBe('cash');
    expect(pick({ category: 'C03' }, policies)).toBe('complaint');
    expect(pick({ category: 'C04', urgency: 'urgent' }, policies)).toBe('urgent');
  });

  it('prefers the narrower list, then priority, then the smaller id', () => {
    const base = { ...policy('complaint'), match: { types: ['complaint' as const] } };
    const wide = SlaPolicySchema.parse({ ...base, id: 'a-wide', match: { types: ['complaint', 'request'] } });
    const b = SlaPolicySchema.parse({ ...base, id: 'b' });
    const c = SlaPolicySchema.parse({ ...base, id: 'c' });
    const cUrgent = SlaPolicySchema.parse({ ...base, id: 'c', priority: 5 });
    expect(selectPolicy([wide, c, b], kase({}))?.id).toBe('b');
    expect(selectPolicy([wide, b, cUrgent], kase({}))?.id).toBe('c');
  });

  it('skips inactive policies and answers undefined when nothing matches', () => {
    const off = SlaPolicySchema.parse({ ...policy('s3'), active: false });
    expect(selectPolicy([off], kase({ sensitivity: 'S3' }))).toBeUndefined();
    expect(selectPolicy([policy('s3')], kase({ sensitivity: 'S0' }))).toBeUndefined();
  });
});

describe('computeDueTimes', () => {
  it('runs the S3 clock through the night and the weekend', () => {
    // Friday 13 March 22:00 local: a first response by 23:00 that night, referral by Saturday 22:00.
    expect(computeDueTimes(policy('s3'), calendar, new Date('2026-03-13T19:00:00Z'))).toEqual({
      policyId: 's3',
      clock: '24x7',
      acknowledgeBy: '2026-03-13T20:00:00.000Z',
      resolveBy: '2026-03-14T19:00:00.000Z',
    });
  });

  it('gives S2 4 hours to a first response and 48 hours to referral, around the clock', () => {
    // Thursday 19 March 15:00 local: the first response falls due at 19:00, after office hours.
    expect(computeDueTimes(policy('s2'), calendar, '2026-03-19T12:00:00.000Z')).toMatchObject({
      acknowledgeBy: '2026-03-19T16:00:00.000Z',
      resolveBy: '2026-03-21T12:00:00.000Z',
    });
  });

  it('counts complaint targets in working days across a weekend and a holiday', () => {
    // Thursday 19 March 15:00 local. Acknowledge within 16 working hours: Thu 1 h, (Fri, Sat, Sun 22 holiday),
    // Mon 23 8 h, Tue 24 until 15:00. Resolve within 56: Thu 1, Mon 23 to Thu 26 (32), Sun 29 and Mon 30 (16),
    // Tue 31 until 15:00 (7).
    expect(computeDueTimes(policy('complaint'), calendar, new Date('2026-03-19T12:00:00Z'))).toEqual({
      policyId: 'complaint',
      clock: 'working',
      acknowledgeBy: '2026-03-24T12:00:00.000Z',
      resolveBy: '2026-03-31T12:00:00.000Z',
    });
  });

  it('gives urgent cases 4 working hours, counted from Sunday morning when received on Saturday', () => {
    // Saturday 14 March 10:00 local: a first response by Sunday 12:00; 3 working days = Sun, Mon, Tue until 16:00.
    const due = computeDueTimes(policy('urgent'), calendar, new Date('2026-03-14T07:00:00Z'));
    expect(due.acknowledgeBy).toBe('2026-03-15T09:00:00.000Z');
    expect(due.resolveBy).toBe('2026-03-17T13:00:00.000Z');
  });

  it('gives a question 1 working day to a first response and 3 to a callback', () => {
    // Thursday 19 March 15:00 local: Thu 1 h, then (Sun 22 is a holiday) Monday 23 until 15:00.
    expect(computeDueTimes(policy('question'), calendar, '2026-03-19T12:00:00.000Z')).toMatchObject({
      acknowledgeBy: '2026-03-23T12:00:00.000Z',
      resolveBy: '2026-03-25T12:00:00.000Z',
    });
  });

  it('gives suggestions, praise and observations 5 and 14 working days', () => {
    // Sunday 1 March 09:00 local: 5 working days end Sunday 8 March 09:00; 14 end Thursday 19 March 09:00,
    // the Region's 5 March holiday not counting on the federal calendar.
    expect(computeDueTimes(policy('feedback'), calendar, '2026-03-01T06:00:00.000Z')).toMatchObject({
      acknowledgeBy: '2026-03-08T06:00:00.000Z',
      resolveBy: '2026-03-19T06:00:00.000Z',
    });
  });

  it("keeps the case's region's holidays", () => {
    // Wednesday 4 March 12:00 local, acknowledge within 2 working days (16 h).
    // Federal: Wed 4 h, Thu 8 h, Sun 8 March until 12:00. Region: Thursday is a holiday, so Monday 9 at 12:00.
    const received = new Date('2026-03-04T09:00:00Z');
    expect(computeDueTimes(policy('complaint'), calendar, received, 'federal').acknowledgeBy).toBe(
      '2026-03-08T09:00:00.000Z',
    );
    expect(computeDueTimes(policy('complaint'), calendar, received, 'kri').acknowledgeBy).toBe(
      '2026-03-09T09:00:00.000Z',
    );
  });
});

describe('shiftDueTimes', () => {
  it('moves a 24x7 clock by the whole pause', () => {
    const due = computeDueTimes(policy('s2'), calendar, '2026-03-19T12:00:00.000Z');
    const shifted = shiftDueTimes(
      due,
      { from: '2026-03-19T13:00:00.000Z', to: '2026-03-19T18:00:00.000Z' },
      calendar,
    );
    // Due 16:00Z and 48 h later; paused 5 hours.
    expect(shifted).toEqual({
      ...due,
      acknowledgeBy: '2026-03-19T21:00:00.000Z',
      resolveBy: '2026-03-21T17:00:00.000Z',
    });
  });

  it('moves a working clock by the working time inside the pause', () => {
    // Due Monday 16 March 16:00. Paused Sunday 10:00 to 14:00 (4 working hours): due Tuesday 17 at 12:00.
    const due = {
      clock: 'working' as const,
      acknowledgeBy: '2026-03-15T05:00:00.000Z',
      resolveBy: '2026-03-16T13:00:00.000Z',
    };
    const shifted = shiftDueTimes(
      due,
      { from: new Date('2026-03-15T07:00:00Z'), to: new Date('2026-03-15T11:00:00Z') },
      calendar,
    );
    expect(shifted.resolveBy).toBe('2026-03-17T09:00:00.000Z');
    // Sunday 08:00 + 4 h = Sunday 12:00.
    expect(shifted.acknowledgeBy).toBe('2026-03-15T09:00:00.000Z');
  });

  it('does not count the weekend inside a pause', () => {
    // Paused Thursday 12 March 15:00 to Sunday 15 March 09:00: 1 h + 1 h of working time.
    const due = {
      clock: 'working' as const,
      acknowledgeBy: '2026-03-16T13:00:00.000Z',
      resolveBy: '2026-03-16T13:00:00.000Z',
    };
    const shifted = shiftDueTimes(
      due,
      { from: '2026-03-12T12:00:00.000Z', to: '2026-03-15T06:00:00.000Z' },
      calendar,
    );
    expect(shifted.resolveBy).toBe('2026-03-17T07:00:00.000Z'); // Tuesday 10:00
  });

  it('accepts a pause already measured on the clock', () => {
    const due = {
      clock: 'working' as const,
      acknowledgeBy: '2026-03-16T13:00:00.000Z',
      resolveBy: '2026-03-16T13:00:00.000Z',
    };
    expect(shiftDueTimes(due, { ms: 3 * HOUR }, calendar).resolveBy).toBe('2026-03-17T08:00:00.000Z');
    expect(() => shiftDueTimes(due, { ms: -1 }, calendar)).toThrow(RangeError);
  });
});

describe('escalationsDue', () => {
  it('climbs the complaint chain in working days after the missed due time', () => {
    const due = '2026-03-31T12:00:00.000Z'; // Tuesday 31 March 15:00 local
    const p = policy('complaint');
    expect(escalationsDue(p, calendar, due, new Date('2026-03-31T11:59:59.999Z'))).toEqual([]);
    expect(escalationsDue(p, calendar, due, new Date(due))).toEqual(['focal_point']);
    // Two working days later: Tue 1 h, Wed 8 h, Thu 2 April until 15:00.
    expect(escalationsDue(p, calendar, due, new Date('2026-04-02T11:59:59.999Z'))).toEqual(['focal_point']);
    expect(escalationsDue(p, calendar, due, new Date('2026-04-02T12:00:00.000Z'))).toEqual([
      'focal_point',
      'supervisor',
    ]);
  });

  it('climbs the S3 chain by the hour', () => {
    const due = Date.UTC(2026, 2, 14, 19);
    const p = policy('s3');
    expect(escalationsDue(p, calendar, due, due + 4 * HOUR - 1)).toEqual(['focal_point']);
    expect(escalationsDue(p, calendar, due, due + 4 * HOUR)).toEqual(['focal_point', 'supervisor']);
    expect(escalationsDue(p, calendar, due, due + 12 * HOUR)).toEqual([
      'focal_point',
      'supervisor',
      'programme_manager',
    ]);
  });
});

describe('inWarningWindow', () => {
  it('warns within warnBeforeMs of a 24x7 due time, and stops once it is overdue', () => {
    const due = Date.UTC(2026, 2, 14, 19);
    const p = policy('s3'); // warns 15 minutes before
    expect(inWarningWindow(p, calendar, due, due - HOUR / 4 - 1)).toBe(false);
    expect(inWarningWindow(p, calendar, due, due - HOUR / 4)).toBe(true);
    expect(inWarningWindow(p, calendar, due, due)).toBe(false);
  });

  it('measures the window in working time on a working clock', () => {
    const due = '2026-03-29T09:00:00.000Z'; // Sunday 29 March 12:00 local
    const p = policy('complaint'); // warns 8 working hours before
    // Thursday 26 March 15:00: 1 h + 4 h left.
    expect(inWarningWindow(p, calendar, due, new Date('2026-03-26T12:00:00Z'))).toBe(true);
    // Thursday 11:00: 5 h + 4 h left.
    expect(inWarningWindow(p, calendar, due, new Date('2026-03-26T08:00:00Z'))).toBe(false);
  });
});

describe('durations', () => {
  it('measures each step from receipt in calendar and working time', () => {
    // Received Thursday 12 March 15:00 local; acknowledged 15:30; first action Sunday 15 09:00; resolved
    // Monday 16 12:00; not closed yet.
    expect(
      durations(
        {
          receivedAt: '2026-03-12T12:00:00.000Z',
          acknowledgedAt: '2026-03-12T12:30:00.000Z',
          firstActionAt: '2026-03-15T06:00:00.000Z',
          resolvedAt: '2026-03-16T09:00:00.000Z',
        },
        calendar,
      ),
    ).toEqual({
      toAcknowledge: { calendarMs: 0.5 * HOUR, workingMs: 0.5 * HOUR },
      toFirstAction: { calendarMs: 66 * HOUR, workingMs: 2 * HOUR },
      toResolve: { calendarMs: 93 * HOUR, workingMs: 13 * HOUR },
    });
  });

  it('counts time to close across a holiday', () => {
    // Received Thursday 19 March 15:00, closed Monday 23 March 09:00 (Sunday 22 is a holiday).
    expect(
      durations({ receivedAt: '2026-03-19T12:00:00.000Z', closedAt: '2026-03-23T06:00:00.000Z' }, calendar)
        .toClose,
    ).toEqual({ calendarMs: 90 * HOUR, workingMs: 2 * HOUR });
  });
});
