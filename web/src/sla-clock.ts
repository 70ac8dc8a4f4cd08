import type { Calendar } from '#shared/calendar/calendar-schema.ts';
import { workdayLengthMs, workingDurationMs } from '#shared/calendar/working-time.ts';
import type { CaseRecord } from './api.ts';
import { regionOf } from './places.ts';

/** What the SLA clock of a case shows at a given instant. */
export type SlaState =
  | { kind: 'none' }
  | { kind: 'paused'; target: 'acknowledge' | 'resolve'; due: string }
  | {
      kind: 'running';
      target: 'acknowledge' | 'resolve';
      due: string;
      /** Time left (negative once overdue), in working time for a working-time clock. */
      remainingMs: number;
      clock: 'working' | '24x7';
    }
  | { kind: 'done'; met: boolean };

const CLOSED = new Set(['resolved', 'closed']);

/**
 * The clock of a case: which target is next (acknowledgement, then resolution), when it is due and how much time
 * is left, counted in working time (the case's region keeps its own holidays) when the policy says so.
 */
export function slaState(c: CaseRecord, now: Date, calendar: Calendar): SlaState {
  const sla = c.sla;
  if (!sla) {
    // A list row carries only its next due time, without the policy: count it around the clock.
    if (!c.dueAt || CLOSED.has(c.status)) return { kind: 'none' };
    const target = c.status === 'new' || c.status === 'reopened' ? 'acknowledge' : 'resolve';
    return {
      kind: 'running',
      target,
      due: c.dueAt,
      remainingMs: Date.parse(c.dueAt) - now.getTime(),
      clock: '24x7',
    };
  }
  if (CLOSED.has(c.status)) {
    const doneAt = c.resolvedAt ?? c.closedAt;
    return { kind: 'done', met: doneAt !== undefined && Date.parse(doneAt) <= Date.parse(sla.resolveBy) };
  }
  const target = c.acknowledgedAt ? 'resolve' : 'acknowledge';
  const due = target === 'acknowledge' ? sla.acknowledgeBy : sla.resolveBy;
  if (sla.pausedSince) return { kind: 'paused', target, due };
  const dueMs = Date.parse(due);
  const nowMs = now.getTime();
  let remainingMs = dueMs - nowMs;
  if (sla.clock === 'working') {
    const region = regionOf(c.location?.governorate);
    remainingMs =
      dueMs >= nowMs
        ? workingDurationMs(calendar, nowMs, dueMs, region)
        : -workingDurationMs(calendar, dueMs, nowMs, region);
  }
  return { kind: 'running', target, due, remainingMs, clock: sla.clock };
}

/**
 * A duration split for display: whole days (working days of the calendar's length for a working-time clock, 24 h
 * otherwise), hours and minutes.
 */
export function splitDuration(
  ms: number,
  clock: 'working' | '24x7',
  calendar: Calendar,
): { days: number; hours: number; minutes: number } {
  const abs = Math.abs(ms);
  const dayMs = clock === 'working' ? workdayLengthMs(calendar) : 86_400_000;
  const days = Math.floor(abs / dayMs);
  const rest = abs - days * dayMs;
  const hours = Math.floor(rest / 3_600_000);
  const minutes = Math.floor((rest - hours * 3_600_000) / 60_000);
  return { days, hours, minutes };
}
