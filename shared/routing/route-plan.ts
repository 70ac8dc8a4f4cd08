/**
 * Routing and SLA for a case whose classification is settled: choose its focal points, set its SLA due times, and
 * say which timeline events record that. Pure, and free of the classifier, so a staff member's reclassification
 * (functions/cases) is routed in its own write without bundling the classifier. See plan.ts for the router's
 * whole decision.
 */
import { agencyOf, DEFAULT_AGENCY, PINNED_AGENCY_BASES } from '../agencies/agency-id.ts';
import { chooseAgency } from '../agencies/choose-agency.ts';
import type { Calendar } from '../calendar/calendar-schema.ts';
import type { Actor, Case } from '../cases/case-schema.ts';
import type { EventDraft } from '../cases/case-store.ts';
import type { Agency, FocalPoint, RoutingRule } from '../config/schemas.ts';
import { regionOf } from '../gazetteer/gazetteer.ts';
import { DEFAULT_SLA_POLICIES } from '../sla/default-policies.ts';
import { computeDueTimes, selectPolicy, shiftDueTimes } from '../sla/sla.ts';
import type { SlaPolicy } from '../sla/sla-schema.ts';
import { chooseFocalPoints, governorateOf, type RoutingDecision } from './select-focal-points.ts';

/** The configuration records routing and SLA read. */
export interface RoutingConfig {
  focalPoints: readonly FocalPoint[];
  rules: readonly RoutingRule[];
  slaPolicies: readonly SlaPolicy[];
  calendar: Calendar;
  /** The agency records; none (or absent) is one implicit agency. */
  agencies?: readonly Agency[];
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
  const fields = [
    c.category,
    c.sensitivity,
    c.urgency,
    c.type,
    governorateOf(c.location) ?? null,
    c.location.district ?? null,
    c.programme ?? null,
  ];
  // The default agency adds nothing, so a case routed before agencies existed is not routed again for it.
  return JSON.stringify(agencyOf(c) === DEFAULT_AGENCY ? fields : [...fields, agencyOf(c)]);
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

/**
 * A new case whose agency was not fixed by an operator or the number dialled may belong elsewhere once its place is
 * known (the classifier reads it from the text): at its first routing it moves, in the same write, so it is routed
 * by its agency's rules. Only then: once routed, a case changes agency only by a transfer, never because someone
 * corrected its place. Cases stored without an agency basis (before agencies were configured) stay where they are.
 */
function agencyOnceKnown(c: Case, config: RoutingConfig, events: EventDraft[]): Case {
  if (!config.agencies?.length || c.routing !== undefined) return c;
  if (!c.agencyBasis || PINNED_AGENCY_BASES.includes(c.agencyBasis)) return c;
  const decided = chooseAgency({ programme: c.programme, location: c.location }, config.agencies);
  if (decided.agency === agencyOf(c)) return c;
  events.push({
    type: 'updated',
    actor: ROUTER_ACTOR,
    data: { kind: 'agency', before: agencyOf(c), after: decided.agency, basis: decided.basis },
  });
  return { ...c, agency: decided.agency, agencyBasis: decided.basis };
}

/**
 * The routing and SLA part of the router's plan: `c` is the case as stored, `classified` the case with its
 * classification settled (equal to `c` when nothing was classified), `events` the entries already planned.
 * Returns undefined when the case already carries exactly this decision.
 */
export function planRoute(
  c: Case,
  classified: Case,
  events: EventDraft[],
  config: RoutingConfig,
  at: string,
): RoutingPlan | undefined {
  let next = agencyOnceKnown(classified, config, events);
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
        agency: next.agency,
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
