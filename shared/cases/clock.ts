/**
 * The SLA clock's pauses while a case waits on the complainant, as pure changes on a case: the staff API pauses
 * and resumes it (functions/cases/lifecycle.ts), and a reply from the person resumes it ({@link resumeOnReply}).
 * Each function returns the next case and the timeline events that record the change; the caller writes both
 * through `cases.mutate`.
 */
import type { Calendar, Region } from '../calendar/calendar-schema.ts';
import { IRAQ_CALENDAR } from '../calendar/iraq-calendar.ts';
import { workingDurationMs } from '../calendar/working-time.ts';
import type { ConfigStore } from '../config/config-store.ts';
import { regionOf } from '../gazetteer/gazetteer.ts';
import { answersRequest } from '../intake/sender.ts';
import { DEFAULT_SLA_POLICIES } from '../sla/default-policies.ts';
import { shiftDueTimes } from '../sla/sla.ts';
import type { SlaPolicy } from '../sla/sla-schema.ts';
import type { Actor, Case } from './case-schema.ts';
import type { EventDraft } from './case-store.ts';

/** The configuration the clock needs: SLA policies and the working calendar. */
export interface ClockConfig {
  slaPolicies: readonly SlaPolicy[];
  calendar: Calendar;
}

export const CALENDAR_ID = IRAQ_CALENDAR.id;

export async function loadClockConfig(config: ConfigStore): Promise<ClockConfig> {
  const [slaPolicies, calendar] = await Promise.all([
    config.list('sla-policy'),
    config.get('calendar', CALENDAR_ID),
  ]);
  return {
    slaPolicies: slaPolicies.length ? slaPolicies : DEFAULT_SLA_POLICIES,
    calendar: calendar ?? IRAQ_CALENDAR,
  };
}

/** The holiday region of a case: the Kurdistan Region's for a case located there, else the calendar's default. */
export function regionFor(c: Case, calendar: Calendar): Region {
  const gov = c.location.governorate ?? c.location.district?.slice(0, 5);
  return (gov && regionOf(gov)) || calendar.defaultRegion;
}

export const SYSTEM: Actor = { kind: 'system', id: 'cases' };

export interface Change {
  next: Case;
  events: EventDraft[];
}

/** Starts waiting on the complainant: the SLA clock stands still from `at` (recorded as an `updated` event). */
export function pauseClock(c: Case, at: string, actor: Actor, reason?: string): Change | undefined {
  if (c.waitingOn === 'complainant') return undefined;
  const next: Case = { ...c, waitingOn: 'complainant', waitingSince: at };
  if (next.sla && !next.sla.pausedSince) next.sla = { ...next.sla, pausedSince: at };
  return {
    next,
    events: [{ type: 'updated', actor, reason, data: { clock: 'paused', waitingOn: 'complainant' } }],
  };
}

/**
 * Stops waiting on the complainant: the pause is measured on the policy's clock (working time for a working
 * clock) and added to `pausedMs`; an open case's due times move later by the same amount, so the time left to
 * each target is what it was when the pause began.
 */
export function resumeClock(
  c: Case,
  at: string,
  actor: Actor,
  cfg: ClockConfig | undefined,
): Change | undefined {
  const since = c.sla?.pausedSince ?? c.waitingSince;
  if (!c.waitingOn && !c.sla?.pausedSince && !c.waitingSince) return undefined;
  const next: Case = { ...c };
  delete next.waitingOn;
  delete next.waitingSince;
  let pausedMs = 0;
  if (next.sla) {
    const sla = { ...next.sla };
    delete sla.pausedSince;
    if (since && cfg) {
      const region = regionFor(c, cfg.calendar);
      const from = Date.parse(since);
      const to = Date.parse(at);
      pausedMs =
        sla.clock === 'working' ? workingDurationMs(cfg.calendar, from, to, region) : Math.max(0, to - from);
      const open = !['resolved', 'closed'].includes(c.status);
      if (open) {
        const shifted = shiftDueTimes(sla, { ms: pausedMs }, cfg.calendar, region);
        sla.acknowledgeBy = shifted.acknowledgeBy;
        sla.resolveBy = shifted.resolveBy;
      }
    }
    sla.pausedMs = (sla.pausedMs ?? 0) + pausedMs;
    next.sla = sla;
  }
  return { next, events: [{ type: 'updated', actor, data: { clock: 'resumed', pausedMs } }] };
}

/**
 * The person answered staff's request for more information: the case comes back to staff. It stops waiting (its
 * status never changed while it waited), and the SLA clock runs again from the reply, the wait not counted. The
 * reply's own `message_in` entry and `lastMessageInAt` (written with it) flag it as a new message in the queues.
 */
export function resumeOnReply(c: Case, at: string, actor: Actor, cfg: ClockConfig): Change | undefined {
  if (!answersRequest(c, at)) return undefined;
  const resumed = resumeClock(c, at, actor, cfg);
  if (!resumed) return undefined;
  return {
    next: resumed.next,
    events: resumed.events.map((e) => ({ ...e, data: { ...e.data, resumedBy: 'reply' } })),
  };
}
