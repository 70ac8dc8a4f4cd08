/**
 * Working-time arithmetic over a calendar record: which instants are working time, how much working time lies
 * between two instants, and when a given amount of it will have passed. Every function takes its instants as
 * arguments (a Date or epoch milliseconds) and never reads the clock.
 *
 * Local time is UTC+3 by fixed offset: the calendar schema only accepts Asia/Baghdad, which has had no
 * daylight saving since 2008. Working hours are [workdayStart, workdayEnd) on working days that are not
 * holidays of the region asked about.
 */
import type { Calendar, Region } from './calendar-schema.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const OFFSET_MS: Readonly<Record<Calendar['timeZone'], number>> = { 'Asia/Baghdad': 3 * 3_600_000 };
/** How far ahead `addWorkingTime` looks before it decides a calendar has no working time at all. */
const MAX_DAYS_AHEAD = 3_700;

export type Instant = Date | number;

interface Compiled {
  offset: number;
  openMs: number; // from local midnight
  closeMs: number;
  weekdays: readonly boolean[];
  holidays: Readonly<Record<Region, ReadonlySet<number>>>;
}

const compiledCache = new WeakMap<Calendar, Compiled>();

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
function dayNumberOfDate(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY);
}

function compile(calendar: Calendar): Compiled {
  let c = compiledCache.get(calendar);
  if (c) return c;
  const federal = new Set<number>();
  const kri = new Set<number>();
  for (const h of calendar.holidays) {
    const day = dayNumberOfDate(h.date);
    if (h.scope !== 'kri') federal.add(day);
    if (h.scope !== 'federal') kri.add(day);
  }
  const weekdays = Array.from({ length: 7 }, (_, d) => calendar.workingDays.includes(d));
  c = {
    offset: OFFSET_MS[calendar.timeZone],
    openMs: minutes(calendar.workdayStart) * MINUTE,
    closeMs: minutes(calendar.workdayEnd) * MINUTE,
    weekdays,
    holidays: { federal, kri },
  };
  compiledCache.set(calendar, c);
  return c;
}

const ms = (t: Instant): number => (typeof t === 'number' ? t : t.getTime());

/** The local day number (days since 1970-01-01 in local time) an instant falls on. */
const localDay = (c: Compiled, t: number): number => Math.floor((t + c.offset) / DAY);

/** 1970-01-01 was a Thursday; 0 = Sunday as in Date#getUTCDay. */
const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;

function isWorkingDay(c: Compiled, day: number, region: Region): boolean {
  return c.weekdays[weekday(day)] === true && !c.holidays[region].has(day);
}

/** The working window of a local day, as UTC epoch milliseconds. */
function window(c: Compiled, day: number): [number, number] {
  const midnight = day * DAY - c.offset;
  return [midnight + c.openMs, midnight + c.closeMs];
}

/** Length of one full working day in milliseconds (8 h for 08:00 to 16:00). */
export function workdayLengthMs(calendar: Calendar): number {
  const c = compile(calendar);
  return c.closeMs - c.openMs;
}

/** Whether `region` keeps a holiday on the local date of `at`. */
export function isHoliday(calendar: Calendar, at: Instant, region: Region = calendar.defaultRegion): boolean {
  const c = compile(calendar);
  return c.holidays[region].has(localDay(c, ms(at)));
}

/** Whether `at` falls inside working hours of a working day that is not a holiday in `region`. */
export function isWorkingTime(
  calendar: Calendar,
  at: Instant,
  region: Region = calendar.defaultRegion,
): boolean {
  const c = compile(calendar);
  const t = ms(at);
  const day = localDay(c, t);
  if (!isWorkingDay(c, day, region)) return false;
  const [open, close] = window(c, day);
  return t >= open && t < close;
}

/** Whether the office is open at `at`: working time in the calendar's own region (hotline hours). */
export function isOfficeHours(calendar: Calendar, at: Instant): boolean {
  return isWorkingTime(calendar, at, calendar.defaultRegion);
}

/** Working time between `from` and `to`, in milliseconds; 0 when `to` is not after `from`. */
export function workingDurationMs(
  calendar: Calendar,
  from: Instant,
  to: Instant,
  region: Region = calendar.defaultRegion,
): number {
  const c = compile(calendar);
  const start = ms(from);
  const end = ms(to);
  if (!(end > start)) return 0;
  let total = 0;
  for (let day = localDay(c, start), last = localDay(c, end); day <= last; day++) {
    if (!isWorkingDay(c, day, region)) continue;
    const [open, close] = window(c, day);
    const overlap = Math.min(close, end) - Math.max(open, start);
    if (overlap > 0) total += overlap;
  }
  return total;
}

/**
 * The earliest instant at which `amountMs` of working time has passed since `from`. Adding nothing returns
 * `from` itself, even outside working hours; a start outside working hours counts from the next opening, and
 * an amount that ends exactly at closing time returns the closing time (not the next morning's opening).
 */
export function addWorkingTime(
  calendar: Calendar,
  from: Instant,
  amountMs: number,
  region: Region = calendar.defaultRegion,
): Date {
  if (!Number.isFinite(amountMs) || amountMs < 0)
    throw new RangeError('amountMs must be a non-negative number');
  const start = ms(from);
  if (amountMs === 0) return new Date(start);
  const c = compile(calendar);
  let remaining = amountMs;
  const first = localDay(c, start);
  for (let day = first; day <= first + MAX_DAYS_AHEAD; day++) {
    if (!isWorkingDay(c, day, region)) continue;
    const [open, close] = window(c, day);
    const begin = Math.max(open, start);
    if (begin >= close) continue;
    if (remaining <= close - begin) return new Date(begin + remaining);
    remaining -= close - begin;
  }
  throw new RangeError('the calendar has no working time in the next ten years');
}

/**
 * `from` plus `days` full working days of working time: received Thursday 15:00, two working days later is
 * Monday 15:00 (Thursday's last hour, Sunday, and Monday until 15:00). Received on a Friday, it is Monday at
 * closing time, the same working time as Tuesday's opening.
 */
export function addWorkingDays(
  calendar: Calendar,
  from: Instant,
  days: number,
  region: Region = calendar.defaultRegion,
): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a non-negative integer');
  return addWorkingTime(calendar, from, days * workdayLengthMs(calendar), region);
}
