/**
 * The router's decision for one case, as a pure function of the case, the configuration and the time: classify
 * it if nobody has, choose its focal points, set its SLA due times, and say which timeline events record that.
 * Returns nothing when the case already carries exactly this decision, which is what makes the router
 * idempotent (a replayed stream record plans nothing and writes nothing).
 *
 * Routing and SLA are chosen once from the case fields they depend on (the "basis": category, sensitivity,
 * urgency, type, location, programme) and kept while those fields stay the same; a reclassification, a new
 * priority or a relocation changes the basis and re-routes the case. An admin's later change to the rules does
 * not move cases already routed; a case that found no focal point at all is tried again on its next change.
 */
import type { Calendar } from '../calendar/calendar-schema.ts';
import type { Actor, Case } from '../cases/case-schema.ts';
import type { EventDraft } from '../cases/case-store.ts';
import type { FocalPoint, RoutingRule } from '../config/schemas.ts';
import { regionOf } from '../gazetteer/gazetteer.ts';
import { DEFAULT_SLA_POLICIES } from '../sla/default-policies.ts';
import { computeDueTimes, selectPolicy, shiftDueTimes } from '../sla/sla.ts';
import type { SlaPolicy } from '../sla/sla-schema.ts';
import { classifyCase, hasUnreadText, needsClassification, readAddedText } from './classify-case.ts';
import { chooseFocalPoints, governorateOf, type RoutingDecision } from './select-focal-points.ts';

/** The configuration records routing and SLA read. */
export interface RoutingConfig {
  focalPoints: readonly FocalPoint[];
  rules: readonly RoutingRule[];
  slaPolicies: readonly SlaPolicy[];
  calendar: Calendar;
}

export const ROUTER_ACTOR: Actor = { kind: 'system', id: 'router' };

export interface RoutingPlan {
  next: Case;
  events: EventDraft[];
  /** Set when the focal points were (re)chosen, for logging. */
  decision?: RoutingDecision;
  /** The SLA policy used when it was set here; `fallback` when no stored policy matched. */
  slaPolicy?: { id: string; fallback: boolean };
}

/** The fields routing and SLA depend on, as one comparable string. */
export function routingBasis(c: Case): string {
  return JSON.stringify([
    c.category,
    c.sensitivity,
    c.urgency,
    c.type,
    governorateOf(c.location) ?? null,
    c.location.district ?? null,
    c.programme ?? null,
  ]);
}

/** Cheap check on a stream image: whether the router may have anything to do (no configuration needed). */
export function mayNeedRouting(c: Case): boolean {
  return (
    needsClassification(c) ||
    hasUnreadText(c) ||
    c.routing?.basis !== routingBasis(c) ||
    c.routing?.problem !== undefined ||
    c.sla === undefined
  );
}

const sameFocalPoints = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

function chooseSla(
  c: Case,
  config: RoutingConfig,
): { sla: NonNullable<Case['sla']>; policy: SlaPolicy; fallback: boolean } | undefined {
  const stored = selectPolicy(config.slaPolicies, c);
  const policy = stored ?? selectPolicy(DEFAULT_SLA_POLICIES, c);
  if (!policy) return undefined;
  if (c.sla?.policyId === policy.id) return undefined;
  const governorate = governorateOf(c.location);
  const region = (governorate && regionOf(governorate)) || config.calendar.defaultRegion;
  let due = computeDueTimes(policy, config.calendar, c.receivedAt, region);
  const pausedMs = c.sla?.pausedMs ?? 0;
  if (pausedMs > 0) due = shiftDueTimes(due, { ms: pausedMs }, config.calendar, region);
  return {
    sla: {
      policyId: due.policyId,
      clock: due.clock,
      acknowledgeBy: due.acknowledgeBy,
      resolveBy: due.resolveBy,
      pausedMs,
      ...(c.sla?.pausedSince ? { pausedSince: c.sla.pausedSince } : {}),
      escalated: c.sla?.escalated ?? [],
      warned: c.sla?.warned ?? [],
    },
    policy,
    fallback: stored === undefined,
  };
}

/** What the router should write for `c` at `at`, or undefined when the case already carries it. */
export function planRouting(c: Case, config: RoutingConfig, at: string): RoutingPlan | undefined {
  let next = c;
  const events: EventDraft[] = [];

  if (needsClassification(c)) {
    next = classifyCase(c);
    events.push({
      type: 'classified',
      actor: ROUTER_ACTOR,
      data: {
        source: next.classification.source,
        type: next.type,
        category: next.category,
        sector: next.sector,
        sensitivity: next.sensitivity,
        urgency: next.urgency,
        confidence: next.classification.confidence,
      },
    });
  } else if (hasUnreadText(c)) {
    // Text appended since the last reading (a follow-up, a transcript): it may raise the case, which then moves
    // to its new queue in this same write (the routing below sees the new sensitivity).
    const reading = readAddedText(c, 'narrative', ROUTER_ACTOR);
    next = reading.next;
    if (reading.event) events.push(reading.event);
  }

  const basis = routingBasis(next);
  // A case that found no focal point is tried again whenever it changes (someone may have added one since).
  const settled = next.routing?.basis === basis && next.routing.problem === undefined;
  if (settled && next.sla !== undefined) {
    // A reading that raised nothing still records how far the narrative was read.
    return events.length > 0 || next !== c ? { next, events } : undefined;
  }

  const plan: RoutingPlan = { next, events };
  const previous = next.routing;
  let routingChanged = false;
  if (!settled) {
    const decision = chooseFocalPoints(
      {
        category: next.category,
        sensitivity: next.sensitivity,
        governorate: next.location.governorate,
        district: next.location.district,
        programme: next.programme,
      },
      config.rules,
      config.focalPoints,
    );
    routingChanged =
      !previous ||
      previous.ruleId !== decision.ruleId ||
      previous.problem !== decision.problem ||
      !sameFocalPoints(previous.focalPoints, decision.focalPoints);
    next = {
      ...next,
      routing: routingChanged
        ? {
            focalPoints: decision.focalPoints,
            ruleId: decision.ruleId,
            routedAt: at,
            basis,
            ...(decision.problem ? { problem: decision.problem } : {}),
          }
        : { ...(previous as NonNullable<Case['routing']>), basis },
    };
    plan.decision = decision;
  }

  const chosen = chooseSla(next, config);
  if (chosen) {
    next = { ...next, sla: chosen.sla };
    plan.slaPolicy = { id: chosen.policy.id, fallback: chosen.fallback };
  }
  const sla = next.sla
    ? { policyId: next.sla.policyId, acknowledgeBy: next.sla.acknowledgeBy, resolveBy: next.sla.resolveBy }
    : undefined;

  if (routingChanged && plan.decision) {
    const d = plan.decision;
    events.push({
      type: 'routed',
      actor: ROUTER_ACTOR,
      data: {
        ruleId: d.ruleId,
        focalPoints: d.focalPoints,
        ...(previous ? { previousFocalPoints: previous.focalPoints } : {}),
        restricted: d.restricted,
        ...(d.problem ? { problem: d.problem } : {}),
        ...(d.withheld.length ? { withheld: d.withheld } : {}),
        ...(sla ? { sla } : {}),
      },
    });
  } else if (chosen && sla) {
    events.push({ type: 'updated', actor: ROUTER_ACTOR, reason: 'SLA policy changed', data: { sla } });
  }

  plan.next = next;
  if (events.length === 0 && JSON.stringify(next) === JSON.stringify(c)) return undefined;
  return plan;
}
