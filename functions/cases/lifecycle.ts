/**
 * The case lifecycle as pure changes on a case, shared by the staff API, the loop reactions (projector), the
 * sweeper and the notifier: transitions with their clock stamps, the SLA clock's pauses while the case waits on
 * the complainant, and fresh due times when a case is reopened. Each function returns the next case and the
 * timeline events that record the change; the caller writes both through `cases.mutate`.
 */
import type { Calendar, Region } from '#shared/calendar/calendar-schema.ts';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import { workingDurationMs } from '#shared/calendar/working-time.ts';
import type { Actor, Case, CaseStatus } from '#shared/cases/case-schema.ts';
import type { EventDraft } from '#shared/cases/case-store.ts';
import { TRANSITIONS, type TransitionAction } from '#shared/cases/transitions.ts';
import type { ConfigStore } from '#shared/config/config-store.ts';
import { InvalidTransitionError } from '#shared/errors/domain-error.ts';
import { regionOf } from '#shared/gazetteer/gazetteer.ts';
import { DEFAULT_SLA_POLICIES } from '#shared/sla/default-policies.ts';
import { computeDueTimes, selectPolicy, shiftDueTimes } from '#shared/sla/sla.ts';
import type { SlaPolicy } from '#shared/sla/sla-schema.ts';

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

/** New due times counted from `at` (a reopened case gets a fresh clock and fresh escalation levels). */
export function restartSla(c: Case, at: string, cfg: ClockConfig): Case['sla'] {
  if (!c.sla) return undefined;
  const policy =
    cfg.slaPolicies.find((p) => p.id === c.sla?.policyId && p.active) ??
    selectPolicy(cfg.slaPolicies, c) ??
    selectPolicy(DEFAULT_SLA_POLICIES, c);
  if (!policy) return c.sla;
  const due = computeDueTimes(policy, cfg.calendar, at, regionFor(c, cfg.calendar));
  return {
    policyId: due.policyId,
    clock: due.clock,
    acknowledgeBy: due.acknowledgeBy,
    resolveBy: due.resolveBy,
    pausedMs: c.sla.pausedMs ?? 0,
    escalated: [],
    warned: [],
  };
}

export interface TransitionOptions {
  actor: Actor;
  reason?: string | undefined;
  data?: Record<string, unknown>;
  /** Fields set with the transition (outcome, satisfaction, loopClosedBy). */
  patch?: Partial<Case>;
  cfg?: ClockConfig | undefined;
}

/**
 * A lifecycle transition as a change: the allowed prior states and the clock stamps come from transitions.ts.
 * Any pause is settled first (a case that moves on no longer waits on the complainant); a reopened case gets a
 * fresh SLA clock counted from the reopening.
 */
export function transitionChange(
  c: Case,
  action: TransitionAction,
  at: string,
  o: TransitionOptions,
): Change {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(c.status)) throw new InvalidTransitionError(action, c.status);
  const events: EventDraft[] = [];
  let base = c;
  const resumed = resumeClock(c, at, o.actor, o.cfg);
  if (resumed) {
    base = resumed.next;
    events.push(...resumed.events);
  }
  const next: Case = { ...base, ...o.patch, status: rule.to };
  for (const field of rule.clears ?? []) delete next[field];
  for (const field of rule.stamps) {
    if (field === 'reopenedAt' || !next[field]) next[field] = at;
  }
  if (rule.to === 'reopened') {
    delete next.satisfaction;
    delete next.loopClosedBy;
    delete next.outcome;
    if (o.cfg && next.sla) next.sla = restartSla(next, at, o.cfg);
  }
  events.push({
    type: 'transition',
    actor: o.actor,
    fromStatus: c.status as CaseStatus,
    toStatus: rule.to,
    reason: o.reason,
    data: { action, ...o.data },
  });
  return { next, events };
}
