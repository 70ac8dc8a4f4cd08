/**
 * What the projector does with one stream record:
 * - a case item (insert or change): brings the time-to-close aggregates and the spike counters in step with it
 *   (idempotent per case version; see shared/reports/aggregate-store.ts), and when a spike counter moved (or the
 *   record is a replay, which may follow a failure before the alert went out) reads the case's places for a spike
 *   (shared/reports/spike-alerts.ts);
 * - a `satisfaction` timeline event (the complainant's answer, appended by the SMS webhook): closes the case
 *   when they are satisfied, reopens it when they are not. Only an answer given after the case's current
 *   resolution counts, so a replayed record after a later reopening changes nothing.
 */

import {
  type ClockConfig,
  loadClockConfig,
  regionFor,
  transitionChange,
} from '#functions/cases/lifecycle.ts';
import type { Platform } from '#functions/lib/platform.ts';
import type { Calendar } from '#shared/calendar/calendar-schema.ts';
import {
  type Actor,
  type Case,
  type CaseEvent,
  CaseEventSchema,
  OPEN_STATUSES,
} from '#shared/cases/case-schema.ts';
import { caseFromItem } from '#shared/cases/case-store.ts';
import { makeClusterStore } from '#shared/clusters/cluster-store.ts';
import { type ClusterOutcome, makeClustering } from '#shared/clusters/clustering.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import { CaseNotFoundError } from '#shared/errors/domain-error.ts';
import { makeAggregateStore } from '#shared/reports/aggregate-store.ts';
import { contributionOf } from '#shared/reports/aggregates.ts';
import { makeSpikeAlerts, type SpikeOutcome } from '#shared/reports/spike-alerts.ts';
import { makeSpikeStore } from '#shared/reports/spike-store.ts';
import { isSpikeKey, spikeContribution } from '#shared/reports/spikes.ts';
import { loadRoutingConfig } from '#shared/routing/routing-config.ts';
import type { Item } from '#shared/store/dynamodb.ts';

export const LOOP_ACTOR: Actor = { kind: 'system', id: 'loop' };
const CONFIG_TTL_MS = 60_000;

export type ProjectorOutcome =
  | { code: 'PROJECTOR.IGNORED' }
  | {
      code: 'PROJECTOR.PROJECTED' | 'PROJECTOR.ALREADY_PROJECTED';
      caseId: string;
      version: number;
      spikes?: SpikeOutcome[];
      cluster?: ClusterOutcome;
    }
  | { code: 'LOOP.CLOSED' | 'LOOP.REOPENED' | 'LOOP.NOTHING_TO_DO'; caseId: string };

export function makeProjector(platform: Platform) {
  const aggregates = makeAggregateStore({ db: platform.db, tableName: platform.tableName });
  const config = makeConfigStore({ db: platform.db, tableName: platform.tableName, now: platform.now });
  let clock: { at: number; value: Promise<ClockConfig> } | undefined;
  const clockConfig = () => {
    const t = Date.now();
    if (!clock || t - clock.at > CONFIG_TTL_MS) clock = { at: t, value: loadClockConfig(config) };
    return clock.value;
  };
  let routing: { at: number; value: ReturnType<typeof loadRoutingConfig> } | undefined;
  const routingConfig = () => {
    const t = Date.now();
    if (!routing || t - routing.at > CONFIG_TTL_MS) routing = { at: t, value: loadRoutingConfig(config) };
    return routing.value;
  };
  const spikes = makeSpikeAlerts({
    store: makeSpikeStore({ db: platform.db, tableName: platform.tableName }),
    routing: routingConfig,
    publish: (message, attributes, texts) =>
      platform.sns.publish(platform.topicArn, message, attributes, texts),
    consoleUrl: platform.consoleUrl,
    now: platform.now,
  });

  const clustering = makeClustering({
    store: makeClusterStore({ db: platform.db, tableName: platform.tableName }),
    now: platform.now,
  });
  const openAmong = async (ids: string[]) =>
    (await platform.cases.getMany(ids)).filter((m) => (OPEN_STATUSES as readonly string[]).includes(m.status))
      .length;

  async function project(c: Case, calendar: Calendar): Promise<ProjectorOutcome> {
    const done = await aggregates.project(
      c.caseId,
      c.version,
      { ...contributionOf(c, calendar, regionFor(c, calendar)), ...spikeContribution(c) },
      c.receivedAt.slice(0, 4),
    );
    const raised =
      !done.projected || done.moved.some(isSpikeKey) ? await spikes.check(c) : ([] as SpikeOutcome[]);
    // After the aggregates: a failure here retries the record, and the aggregates' marker makes the repeat free.
    const cluster = await clustering.handle(c, openAmong);
    return {
      code: done.projected ? 'PROJECTOR.PROJECTED' : 'PROJECTOR.ALREADY_PROJECTED',
      caseId: c.caseId,
      version: c.version,
      ...(raised.length ? { spikes: raised } : {}),
      ...(cluster.code === 'CLUSTER.NOT_ELIGIBLE' || cluster.code === 'CLUSTER.NO_MATCH' ? {} : { cluster }),
    };
  }

  async function answer(event: CaseEvent): Promise<ProjectorOutcome> {
    const said = event.data?.answer;
    if (said !== 'satisfied' && said !== 'not_satisfied') return { code: 'PROJECTOR.IGNORED' };
    const cfg = await clockConfig();
    try {
      const result = await platform.cases.mutate(event.caseId, undefined, (current, at) => {
        if (current.status !== 'resolved' || !current.resolvedAt || event.at < current.resolvedAt)
          return undefined;
        if (said === 'satisfied') {
          return transitionChange(current, 'close', at, {
            actor: LOOP_ACTOR,
            reason: 'The complainant said they were satisfied.',
            cfg,
            data: { satisfaction: 'satisfied', answerEventId: event.eventId },
            patch: { satisfaction: 'satisfied', loopClosedBy: current.loopClosedBy ?? 'sms' },
          });
        }
        return transitionChange(current, 'reopen', at, {
          actor: LOOP_ACTOR,
          reason: 'The complainant said they were not satisfied.',
          cfg,
          data: { satisfaction: 'not_satisfied', answerEventId: event.eventId },
        });
      });
      if (!result.changed) return { code: 'LOOP.NOTHING_TO_DO', caseId: event.caseId };
      return { code: said === 'satisfied' ? 'LOOP.CLOSED' : 'LOOP.REOPENED', caseId: event.caseId };
    } catch (err) {
      if (err instanceof CaseNotFoundError) return { code: 'LOOP.NOTHING_TO_DO', caseId: event.caseId };
      throw err;
    }
  }

  /** Handles one item image from the stream. */
  async function handle(image: Item, eventName: string | undefined): Promise<ProjectorOutcome> {
    if (image.entity === 'case' && image.sk === 'CASE') {
      const { calendar } = await clockConfig();
      return project(caseFromItem(image), calendar);
    }
    if (image.entity === 'event' && eventName === 'INSERT' && image.type === 'satisfaction') {
      return answer(CaseEventSchema.parse(image));
    }
    return { code: 'PROJECTOR.IGNORED' };
  }

  return { handle };
}

export type Projector = ReturnType<typeof makeProjector>;
