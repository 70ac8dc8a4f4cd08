import { describe, expect, it } from 'vitest';
import { type Calendar, CalendarSchema } from '#shared/calendar/calendar-schema.ts';
import {
  addWorkingDays,
  addWorkingTime,
  isHoliday,
  isOfficeHours,
  isWorkingTime,
  workdayLengthMs,
  workingDurationMs,
} from '#shared/calendar/working-time.ts';

// March 2026: Sunday the 1st. Baghdad is UTC+3, so 08:00 local is 05:00Z and 16:00 local is 13:00Z.
// The test calendar: Sunday 22 March is a holiday everywhere, Thursday 5 March only in the Kurdistan Region.
const calendar: Calendar = CalendarSchema.parse({
  id: 'test',
  name: 'test',
  holidays: [
    { date: '2026-03-22', name: 'Eid', scope: 'all' },
    { date: '2026-03-05', name: 'Uprising Day', scope: 'kri' },
    { date: '2026-03-04', name: 'A federal day', scope: 'federal' },
  ],
});

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

describe('isWorkingTime', () => {
  it('is working time from 08:00 up to but not including 16:00 on a Sunday', () => {
    expect(isWorkingTime(calendar, at('2026-03-01T05:00:00Z'))).toBe(true); // Sun 08:00
    expect(isWorkingTime(calendar, at('2026-03-01T04:59:59.999Z'))).toBe(false); // Sun 07:59:59.999
    expect(isWorkingTime(calendar, at('2026-03-01T12:59:59.999Z'))).toBe(true); // Sun 15:59:59.999
    expect(isWorkingTime(calendar, at('2026-03-01T13:00:00Z'))).toBe(false); // Sun 16:00
  });

  it('uses Baghdad local date, not the UTC date, near midnight', () => {
    // Saturday 21 March 21:30Z is already Sunday 22 March 00:30 in Baghdad.
    expect(isHoliday(calendar, at('2026-03-21T21:30:00Z'))).toBe(true); // Sunday 22 March local
    expect(isHoliday(calendar, at('2026-03-21T20:59:59Z'))).toBe(false); // Saturday 23:59:59 local
  });

  it('is never working time on Friday or Saturday', () => {
    expect(isWorkingTime(calendar, at('2026-03-06T07:00:00Z'))).toBe(false); // Fri 10:00
    expect(isWorkingTime(calendar, at('2026-03-07T07:00:00Z'))).toBe(false); // Sat 10:00
    expect(isWorkingTime(calendar, at('2026-03-05T07:00:00Z'))).toBe(true); // Thu 10:00
  });

  it('closes on holidays of the region asked about only', () => {
    expect(isWorkingTime(calendar, at('2026-03-22T07:00:00Z'), 'federal')).toBe(false);
    expect(isWorkingTime(calendar, at('2026-03-22T07:00:00Z'), 'kri')).toBe(false);
    expect(isWorkingTime(calendar, at('2026-03-05T07:00:00Z'), 'federal')).toBe(true);
    expect(isWorkingTime(calendar, at('2026-03-05T07:00:00Z'), 'kri')).toBe(false);
    expect(isWorkingTime(calendar, at('2026-03-04T07:00:00Z'), 'federal')).toBe(false);
    expect(isWorkingTime(calendar, at('2026-03-04T07:00:00Z'), 'kri')).toBe(true);
  });

  it('accepts epoch milliseconds', () => {
    expect(isWorkingTime(calendar, Date.UTC(2026, 2, 1, 5, 0))).toBe(true);
  });
});

describe('isOfficeHours', () => {
  it("follows the calendar's own region", () => {
    const erbilOffice = CalendarSchema.parse({ ...calendar, defaultRegion: 'kri' });
    expect(isOfficeHours(calendar, at('2026-03-05T07:00:00Z'))).toBe(true);
    expect(isOfficeHours(erbilOffice, at('2026-03-05T07:00:00Z'))).toBe(false);
    expect(isOfficeHours(erbilOffice, at('2026-03-08T07:00:00Z'))).toBe(true); // Sun 10:00
  });
});

describe('workingDurationMs', () => {
  it('counts a plain week as five eight-hour days', () => {
    // Sunday 8 March 00:00 local to Sunday 15 March 00:00 local; no holidays that week.
    expect(workingDurationMs(calendar, at('2026-03-07T21:00:00Z'), at('2026-03-14T21:00:00Z'))).toBe(
      40 * HOUR,
    );
  });

  it('skips the weekend', () => {
    // Thu 12 March 14:00 to Sun 15 March 10:00: Thursday 14-16 (2 h) + Sunday 08-10 (2 h).
    expect(workingDurationMs(calendar, at('2026-03-12T11:00:00Z'), at('2026-03-15T07:00:00Z'))).toBe(
      4 * HOUR,
    );
  });

  it('skips the weekend and a holiday', () => {
    // Thu 19 March 15:00 to Mon 23 March 09:00: Thursday 1 h, Fri/Sat weekend, Sun 22 holiday, Monday 1 h.
    expect(workingDurationMs(calendar, at('2026-03-19T12:00:00Z'), at('2026-03-23T06:00:00Z'))).toBe(
      2 * HOUR,
    );
  });

  it('starts counting at the next opening when it starts outside working hours', () => {
    // Fri 13 March 10:00 to Sun 15 March 12:00: only Sunday 08-12.
    expect(workingDurationMs(calendar, at('2026-03-13T07:00:00Z'), at('2026-03-15T09:00:00Z'))).toBe(
      4 * HOUR,
    );
    // Sun 15 March 06:00 to 09:30 the same day: 08:00-09:30.
    expect(workingDurationMs(calendar, at('2026-03-15T03:00:00Z'), at('2026-03-15T06:30:00Z'))).toBe(
      1.5 * HOUR,
    );
    // Evening to next morning: Sun 20:00 to Mon 08:30 = 30 minutes.
    expect(workingDurationMs(calendar, at('2026-03-15T17:00:00Z'), at('2026-03-16T05:30:00Z'))).toBe(
      0.5 * HOUR,
    );
  });

  it('depends on the region', () => {
    // Wed 4 March 08:00 to Thu 5 March 16:00: federal loses Wednesday, the Region loses Thursday.
    const from = at('2026-03-04T05:00:00Z');
    const to = at('2026-03-05T13:00:00Z');
    expect(workingDurationMs(calendar, from, to, 'federal')).toBe(8 * HOUR);
    expect(workingDurationMs(calendar, from, to, 'kri')).toBe(8 * HOUR);
    expect(workingDurationMs(calendar, at('2026-03-05T05:00:00Z'), to, 'kri')).toBe(0);
  });

  it('is zero when the end is not after the start', () => {
    expect(workingDurationMs(calendar, at('2026-03-15T09:00:00Z'), at('2026-03-15T07:00:00Z'))).toBe(0);
    expect(workingDurationMs(calendar, at('2026-03-15T07:00:00Z'), at('2026-03-15T07:00:00Z'))).toBe(0);
  });
});

describe('addWorkingTime', () => {
  it('carries over the weekend and a holiday', () => {
    // Thu 19 March 15:00 + 3 h: Thursday 1 h, then (Fri, Sat, Sun 22 holiday) Monday 08-10.
    expect(addWorkingTime(calendar, at('2026-03-19T12:00:00Z'), 3 * HOUR).toISOString()).toBe(
      '2026-03-23T07:00:00.000Z',
    );
  });

  it('starts at the next opening when it starts outside working hours', () => {
    // Wed 11 March 23:00 + 30 min = Thu 12 March 08:30.
    expect(addWorkingTime(calendar, at('2026-03-11T20:00:00Z'), 30 * 60_000).toISOString()).toBe(
      '2026-03-12T05:30:00.000Z',
    );
  });

  it('ends at closing time when the amount fills the day exactly', () => {
    // Sat 14 March 20:00 + 8 h = Sun 15 March 16:00, not Monday 08:00.
    expect(addWorkingTime(calendar, at('2026-03-14T17:00:00Z'), 8 * HOUR).toISOString()).toBe(
      '2026-03-15T13:00:00.000Z',
    );
  });

  it('returns the start itself when nothing is added', () => {
    expect(addWorkingTime(calendar, at('2026-03-13T07:00:00Z'), 0).toISOString()).toBe(
      '2026-03-13T07:00:00.000Z',
    );
  });

  it('rejects a negative amount', () => {
    expect(() => addWorkingTime(calendar, at('2026-03-13T07:00:00Z'), -1)).toThrow(RangeError);
  });

  it('gives up on a calendar with no working time', () => {
    const allHolidays = CalendarSchema.parse({ id: 'x', name: 'x', workingDays: [6] });
    const closed = {
      ...allHolidays,
      holidays: Array.from({ length: 600 }, (_, i) => ({
        date: new Date(Date.UTC(2026, 0, 3 + 7 * i)).toISOString().slice(0, 10),
        name: 'closed',
        scope: 'all' as const,
      })),
    };
    expect(() => addWorkingTime(closed, at('2026-01-01T00:00:00Z'), HOUR)).toThrow(/no working time/);
  });
});

describe('addWorkingDays', () => {
  it('knows a working day is eight hours by default', () => {
    expect(workdayLengthMs(calendar)).toBe(8 * HOUR);
  });

  it('adds working days across the weekend and a holiday', () => {
    // Thu 19 March 15:00 + 2 working days (16 h): Thu 1 h, Mon 23 8 h, Tue 24 until 15:00.
    expect(addWorkingDays(calendar, at('2026-03-19T12:00:00Z'), 2).toISOString()).toBe(
      '2026-03-24T12:00:00.000Z',
    );
  });

  it('counts from Sunday morning for a case received on Friday', () => {
    // Fri 13 March 10:00 + 2 working days: Sunday and Monday, due Monday 16 March 16:00.
    expect(addWorkingDays(calendar, at('2026-03-13T07:00:00Z'), 2).toISOString()).toBe(
      '2026-03-16T13:00:00.000Z',
    );
  });

  it('keeps the holidays of the region asked about', () => {
    // Wed 4 March 12:00 + 1 working day. Federal: Wednesday is a holiday, so Thu 08-16 → Thu 16:00.
    // Kurdistan Region: Wed 12-16 (4 h), Thursday is a holiday, Sunday 8 March 08-12 → Sun 12:00.
    const from = at('2026-03-04T09:00:00Z');
    expect(addWorkingDays(calendar, from, 1, 'federal').toISOString()).toBe('2026-03-05T13:00:00.000Z');
    expect(addWorkingDays(calendar, from, 1, 'kri').toISOString()).toBe('2026-03-08T09:00:00.000Z');
  });

  it('rejects fractional days', () => {
    expect(() => addWorkingDays(calendar, at('2026-03-04T09:00:00Z'), 1.5)).toThrow(RangeError);
  });
});
