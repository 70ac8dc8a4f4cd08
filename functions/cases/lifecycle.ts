/**
 * The case lifecycle as pure changes on a case, shared by the staff API, the loop reactions (projector), the
 * sweeper and the notifier: transitions with their clock stamps, the SLA clock's pauses while the case waits on
 * the complainant, and fresh due times when a case is reopened. Each function returns the next case and the
 * timeline events that record the change; the caller writes both through `cases.mutate`.
 */
import type { Actor, Case, CaseStatus } from '#shared/cases/case-schema.ts';
import type { EventDraft } from '#shared/cases/case-store.ts';
import { type Change, type ClockConfig, regionFor, resumeClock } from '#shared/cases/clock.ts';
import { TRANSITIONS, type TransitionAction } from '#shared/cases/transitions.ts';
import { InvalidTransitionError } from '#shared/errors/domain-error.ts';
import { DEFAULT_SLA_POLICIES } from '#shared/sla/default-policies.ts';
import { computeDueTimes, selectPolicy } from '#shared/sla/sla.ts';

export {
  CALENDAR_ID,
  type Change,
  type ClockConfig,
  loadClockConfig,
  pauseClock,
  regionFor,
  resumeClock,
} from '#shared/cases/clock.ts';

export const SYSTEM: Actor = { kind: 'system', id: 'cases' };

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
