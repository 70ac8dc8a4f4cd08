/**
 * The local stack's clock: the machine's time plus an offset that a developer moves forward, so SLA warnings,
 * escalations and the satisfaction timeout can be tried in minutes instead of days. Every handler of the local
 * stack reads time through the platform's `now`, which is this clock's {@link LocalClock.now}; nothing else
 * changes (local sign-in tokens keep the machine's time, so they do not expire when the clock jumps).
 *
 * The offset is kept in the data folder, so cases stored while the clock was ahead keep making sense after a
 * restart. Local stack only: the CDK app has no such route and Lambda reads the real time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import { addWorkingTime, isOfficeHours } from '#shared/calendar/working-time.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How far one request may move the clock: a little over a year, more than any SLA target or retention test. */
export const MAX_ADVANCE_MS = 400 * DAY;

/**
 * An ISO 8601 duration in weeks, days, hours, minutes and seconds (`P2D`, `PT4H30M`, `P1W`, `PT90S`). Years and
 * months are refused: their length depends on where they start.
 */
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

/** Milliseconds in an ISO 8601 duration, or undefined when it is not one this clock takes. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m;
  return (
    Number(w ?? 0) * 7 * DAY +
    Number(d ?? 0) * DAY +
    Number(h ?? 0) * HOUR +
    Number(min ?? 0) * MINUTE +
    Math.round(Number(s ?? 0) * SECOND)
  );
}

/** An offset as an ISO 8601 duration (`P2DT3H`), the way the clock reports it. */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms);
  const part = (unit: number, suffix: string) => {
    const n = Math.floor(rest / unit);
    rest -= n * unit;
    return n ? `${n}${suffix}` : '';
  };
  const days = part(DAY, 'D');
  const time = part(HOUR, 'H') + part(MINUTE, 'M') + (rest ? `${rest / SECOND}S` : '');
  const out = `P${days}${time ? `T${time}` : ''}`;
  return out === 'P' ? 'PT0S' : out;
}

/** What `POST /dev/clock` takes: move the clock forward by a duration, or back to the machine's time. */
export const ClockChange = z.union([
  z.strictObject({
    advance: z
      .string()
      .max(40)
      .refine((s) => (parseDuration(s) ?? 0) > 0, {
        message:
          'must be a positive ISO 8601 duration in weeks, days, hours, minutes or seconds, such as P2D or PT4H',
      })
      .refine((s) => (parseDuration(s) ?? 0) <= MAX_ADVANCE_MS, {
        message: 'may move the clock at most 400 days',
      }),
  }),
  z.strictObject({ reset: z.literal(true) }),
  /** Forward to the hotline's next office hours (now, if open for another hour): to try the live hotline. */
  z.strictObject({ until: z.literal('office-hours') }),
]);
export type ClockChange = z.infer<typeof ClockChange>;

/**
 * The first instant from `at` with an hour of the hotline's office hours ahead (the IVR reads the built-in Iraq
 * calendar), so a walk through the live hotline does not meet closing time half-way.
 */
export function nextOfficeHour(at: Date): Date {
  const opening = (from: Date) => new Date(addWorkingTime(IRAQ_CALENDAR, from, MINUTE).getTime() - MINUTE);
  let t = opening(at);
  for (let tries = 0; tries < 30 && !isOfficeHours(IRAQ_CALENDAR, new Date(t.getTime() + HOUR)); tries++) {
    t = opening(new Date(t.getTime() + HOUR));
  }
  return t;
}

export interface ClockState {
  /** The time every local handler reads. */
  now: string;
  /** How far ahead of the machine's clock it is. */
  offset: string;
  offsetMs: number;
}

export class LocalClock {
  private offsetMs = 0;

  constructor(
    private readonly machine: () => Date = () => new Date(),
    private readonly file?: string,
  ) {
    if (!file) return;
    try {
      const saved = z
        .object({ offsetMs: z.number().int().min(0) })
        .parse(JSON.parse(readFileSync(file, 'utf8')));
      this.offsetMs = saved.offsetMs;
    } catch {
      this.offsetMs = 0; // no file yet, or one this version cannot read: the machine's time
    }
  }

  /** The local stack's time; bound, so it can be handed out as the platform's `now`. */
  readonly now = (): Date => new Date(this.machine().getTime() + this.offsetMs);

  state(): ClockState {
    return { now: this.now().toISOString(), offset: formatDuration(this.offsetMs), offsetMs: this.offsetMs };
  }

  /** Applies a change that {@link ClockChange} accepted. */
  change(change: ClockChange): ClockState {
    if ('reset' in change) this.offsetMs = 0;
    else if ('advance' in change) this.offsetMs += parseDuration(change.advance) ?? 0;
    else this.offsetMs += Math.max(0, nextOfficeHour(this.now()).getTime() - this.now().getTime());
    if (this.file) writeFileSync(this.file, JSON.stringify({ offsetMs: this.offsetMs }));
    return this.state();
  }
}

/**
 * `GET /dev/clock` reads the clock; `POST /dev/clock` with `{"advance": "P2D"}`, `{"until": "office-hours"}` or
 * `{"reset": true}` moves it and
 * then runs the SLA sweeper once, as the scheduler would at the new time, answering with the sweep's counts.
 */
export async function clockRoute(
  clock: LocalClock,
  method: string,
  body: Buffer,
  sweep: () => Promise<unknown>,
): Promise<{ status: number; body: unknown }> {
  if (method === 'GET') return { status: 200, body: clock.state() };
  if (method !== 'POST') {
    return {
      status: 405,
      body: { error: { code: 'ROUTE.METHOD_NOT_ALLOWED', message: 'Use GET or POST.' } },
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    raw = undefined;
  }
  const parsed = ClockChange.safeParse(raw);
  if (!parsed.success) {
    return {
      status: 400,
      body: {
        error: {
          code: 'CLOCK.INVALID',
          message:
            'Send {"advance": "P2D"} (an ISO 8601 duration: weeks, days, hours, minutes, seconds), {"until": "office-hours"} or {"reset": true}.',
          details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      },
    };
  }
  const state = clock.change(parsed.data);
  return { status: 200, body: { ...state, sweep: await sweep() } };
}
