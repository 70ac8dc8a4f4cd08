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
import type { Case } from '../cases/case-schema.ts';
import type { EventDraft } from '../cases/case-store.ts';
import { classifyCase, hasUnreadText, needsClassification, readAddedText } from './classify-case.ts';
import { planRoute, ROUTER_ACTOR, type RoutingConfig, type RoutingPlan, routingBasis } from './route-plan.ts';

export { planRoute, ROUTER_ACTOR, type RoutingConfig, type RoutingPlan, routingBasis } from './route-plan.ts';

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

  return planRoute(c, next, events, config, at);
}
