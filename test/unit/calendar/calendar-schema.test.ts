import { describe, expect, it } from 'vitest';
import { CalendarSchema } from '#shared/calendar/calendar-schema.ts';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import { isWorkingTime } from '#shared/calendar/working-time.ts';

describe('CalendarSchema', () => {
  it('fills in the Iraqi defaults', () => {
    expect(CalendarSchema.parse({ id: 'c', name: 'C' })).toEqual({
      id: 'c',
      name: 'C',
      timeZone: 'Asia/Baghdad',
      workingDays: [0, 1, 2, 3, 4],
      workdayStart: '08:00',
      workdayEnd: '16:00',
      defaultRegion: 'federal',
      holidays: [],
    });
  });

  it('defaults a holiday to both regions', () => {
    const c = CalendarSchema.parse({
      id: 'c',
      name: 'C',
      holidays: [{ date: '2026-01-01', name: 'New Year' }],
    });
    expect(c.holidays[0]?.scope).toBe('all');
  });

  it.each([
    ['another time zone', { timeZone: 'Europe/London' }],
    ['a day that does not exist', { holidays: [{ date: '2026-02-30', name: 'x' }] }],
    ['a day of the week out of range', { workingDays: [0, 7] }],
    ['a repeated day of the week', { workingDays: [0, 0, 1] }],
    ['an end before the start', { workdayStart: '16:00', workdayEnd: '08:00' }],
    ['a malformed time', { workdayStart: '8:00' }],
    ['an unknown scope', { holidays: [{ date: '2026-01-01', name: 'x', scope: 'baghdad' }] }],
  ])('rejects %s', (_, patch) => {
    expect(CalendarSchema.safeParse({ id: 'c', name: 'C', ...patch }).success).toBe(false);
  });
});

describe('IRAQ_CALENDAR', () => {
  const tenAm = (date: string) => new Date(`${date}T07:00:00Z`);

  it('has holidays in 2026 and 2027', () => {
    const years = new Set(IRAQ_CALENDAR.holidays.map((h) => h.date.slice(0, 4)));
    expect([...years].sort()).toEqual(['2026', '2027']);
  });

  it('closes on Eid al-Adha 2026 (Wednesday 27 May) everywhere', () => {
    expect(isWorkingTime(IRAQ_CALENDAR, tenAm('2026-05-27'), 'federal')).toBe(false);
    expect(isWorkingTime(IRAQ_CALENDAR, tenAm('2026-05-27'), 'kri')).toBe(false);
    expect(isWorkingTime(IRAQ_CALENDAR, tenAm('2026-05-26'), 'federal')).toBe(true);
  });

  it('closes on Eid al-Ghadir (Thursday 4 June 2026) for federal offices only', () => {
    expect(isWorkingTime(IRAQ_CALENDAR, tenAm('2026-06-04'), 'federal')).toBe(false);
    expect(isWorkingTime(IRAQ_CALENDAR, tenAm('2026-06-04'), 'kri')).toBe(true);
  });

  it('closes the Kurdistan Region for the Nowruz days around 21 March', () => {
    expect(isWorkingTime(IRAQ_CALENDAR, tenAm('2027-03-22'), 'kri')).toBe(false);
    expect(isWorkingTime(IRAQ_CALENDAR, tenAm('2027-03-22'), 'federal')).toBe(true);
  });
});
