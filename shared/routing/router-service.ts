/**
 * The router's use-cases, behind the stream adapter in functions/router: route a case that was written, and
 * publish a timeline event that was appended. Both are idempotent, so the stream may deliver a record any
 * number of times.
 */

import type { Case, CaseEvent } from '../cases/case-schema.ts';
import type { CaseStore } from '../cases/case-store.ts';
import type { ConfigStore } from '../config/config-store.ts';
import { CaseNotFoundError } from '../errors/domain-error.ts';
import type { MessageAttributeValue, ProtocolTexts } from '../messaging/sns.ts';
import type { DynamoDb } from '../store/dynamodb.ts';
import { addedStaffText, readAddedText } from './classify-case.ts';
import { syncFocalPointLinks } from './focal-point-links.ts';
import { buildNotification } from './notification.ts';
import { mayNeedRouting, planRouting, ROUTER_ACTOR, type RoutingConfig, type RoutingPlan } from './plan.ts';
import { makePublishMarkers } from './publish-markers.ts';
import { keptRoutingConfig } from './routing-config.ts';

export interface RouterServiceDeps {
  db: DynamoDb;
  tableName: string;
  cases: CaseStore;
  config: ConfigStore;
  /** Publishes one message on the case-events topic; resolves with SNS's message id. */
  publish: (
    message: string,
    attributes: Record<string, MessageAttributeValue>,
    texts?: ProtocolTexts,
  ) => Promise<string>;
  /** The staff console's base URL (`https://…/console/`), for the link in each notification. */
  consoleUrl: string;
  now?: () => Date;
}

/** What happened to one record, for the log line (codes and ids only). */
export type RouterOutcome =
  | { code: 'ROUTER.CASE_UNCHANGED'; caseId: string }
  | { code: 'ROUTER.CASE_NOT_FOUND'; caseId: string }
  | {
      code: 'ROUTER.CASE_ROUTED';
      caseId: string;
      classified: boolean;
      ruleId?: string;
      focalPoints?: string[];
      problem?: string;
      slaPolicyId?: string;
      slaFallback?: boolean;
      withheld?: string[];
    }
  | { code: 'ROUTER.EVENT_ALREADY_PUBLISHED'; caseId: string; eventId: string }
  | { code: 'ROUTER.EVENT_CASE_NOT_FOUND'; caseId: string; eventId: string }
  | {
      code: 'ROUTER.EVENT_PUBLISHED';
      caseId: string;
      eventId: string;
      eventType: string;
      messageId: string;
      focalPoints: string[];
      audience: string[];
    };

export { CALENDAR_ID, loadRoutingConfig } from './routing-config.ts';

export function makeRouterService(deps: RouterServiceDeps) {
  const markers = makePublishMarkers({ db: deps.db, tableName: deps.tableName, now: deps.now });
  // Read once per stream batch (stream-router.ts): the generation, and the records only when it has moved.
  const loadConfig = keptRoutingConfig(deps.config);

  /**
   * Classifies, routes and sets the SLA of a case written to the table. `image` is the case as the stream saw
   * it: when it already carries its routing nothing is read; otherwise the change is planned again on the
   * current case and written only if it changes something.
   */
  async function routeCase(image: Case, config: () => Promise<RoutingConfig>): Promise<RouterOutcome> {
    const caseId = image.caseId;
    if (!mayNeedRouting(image)) return { code: 'ROUTER.CASE_UNCHANGED', caseId };
    const cfg = await config();
    let plan: RoutingPlan | undefined;
    try {
      const result = await deps.cases.mutate(caseId, undefined, (current, at) => {
        plan = planRouting(current, cfg, at);
        return plan;
      });
      if (!result.changed || !plan) return { code: 'ROUTER.CASE_UNCHANGED', caseId };
    } catch (err) {
      if (err instanceof CaseNotFoundError) return { code: 'ROUTER.CASE_NOT_FOUND', caseId };
      throw err;
    }
    const p = plan as RoutingPlan;
    return {
      code: 'ROUTER.CASE_ROUTED',
      caseId,
      classified: p.events.some((e) => e.type === 'classified'),
      ...(p.decision
        ? {
            ruleId: p.decision.ruleId,
            focalPoints: p.decision.focalPoints,
            ...(p.decision.problem ? { problem: p.decision.problem } : {}),
            ...(p.decision.withheld.length ? { withheld: p.decision.withheld } : {}),
          }
        : {}),
      ...(p.slaPolicy ? { slaPolicyId: p.slaPolicy.id, slaFallback: p.slaPolicy.fallback } : {}),
    };
  }

  /**
   * Publishes one timeline event to SNS, exactly once per event id as far as the markers can see (see
   * publish-markers.ts for the crash window). A `routed` event first brings the focal-point links in step.
   */
  async function publishEvent(
    event: CaseEvent,
    config: () => Promise<RoutingConfig>,
  ): Promise<RouterOutcome> {
    const { caseId, eventId } = event;
    let [published, c, cfg] = await Promise.all([
      markers.isPublished(eventId),
      deps.cases.get(caseId, true),
      config(),
    ]);
    if (published) return { code: 'ROUTER.EVENT_ALREADY_PUBLISHED', caseId, eventId };
    if (!c) return { code: 'ROUTER.EVENT_CASE_NOT_FOUND', caseId, eventId };
    const staffText = addedStaffText(event);
    if (staffText !== undefined) {
      // A note is read like any text that reaches the case; a raise is written here and re-routes the case from
      // its stream record. Reading again on a replay finds the case already raised and writes nothing.
      const read = await deps.cases.mutate(caseId, undefined, (current) => {
        const reading = readAddedText(current, 'note', ROUTER_ACTOR, staffText);
        return reading.event ? { next: reading.next, events: [reading.event] } : undefined;
      });
      c = read.case;
    }
    if (event.type === 'routed') {
      const named = [event.data?.focalPoints, event.data?.previousFocalPoints].flatMap((v) =>
        Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [],
      );
      await syncFocalPointLinks(deps, c, named);
    }
    const n = buildNotification(event, c, {
      consoleUrl: deps.consoleUrl,
      focalPoints: cfg.focalPoints,
    });
    const messageId = await deps.publish(n.message, n.attributes, n.texts);
    await markers.markPublished(eventId, messageId);
    return {
      code: 'ROUTER.EVENT_PUBLISHED',
      caseId,
      eventId,
      eventType: event.type,
      messageId,
      focalPoints: n.focalPoints,
      audience: n.audience,
    };
  }

  return { loadConfig, routeCase, publishEvent };
}

export type RouterService = ReturnType<typeof makeRouterService>;
