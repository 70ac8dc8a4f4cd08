/**
 * The SLA sweeper, run on a schedule (EventBridge Scheduler in AWS, the timer locally):
 *
 * 1. Open cases due soon or overdue, read through byStatusDue (each open status, restricted partitions too, due
 *    time up to the widest warning window ahead): warn the focal points once before a target is missed, and
 *    escalate once per level after it (focal point → supervisor → programme manager, from the focal points'
 *    `escalatesTo`). Cases waiting on the complainant are skipped (their clock stands still).
 * 2. Resolved cases whose complainant has not answered the satisfaction question within `noAnswerAfterMs`
 *    (byStatusDue `STATUS#resolved`, waiting entries by waiting time): closed with `satisfaction: no_answer`.
 *
 * Exactly once per level: the level is recorded on the case (`sla.escalated`) by a write conditional on the
 * case's version, decided on the freshly read case. Of two sweepers racing, the loser's write fails, it reads
 * the case again, finds the level recorded and does nothing, so only one `escalated` event is ever written.
 *
 * The sweeper publishes nothing itself. The router publishes every timeline event from the table's stream under
 * its publish markers, the escalation and the warning like any other. (When the sweeper also published right
 * after its write, the router could read the event from the stream before the sweeper's marker was written and
 * publish it a second time: one escalation, two notices.)
 */

import {
  type ClockConfig,
  loadClockConfig,
  regionFor,
  transitionChange,
} from '#functions/cases/lifecycle.ts';
import type { Platform } from '#functions/lib/platform.ts';
import { agencyPartitions } from '#shared/agencies/agency-partitions.ts';
import { addWorkingTime } from '#shared/calendar/working-time.ts';
import { caseKeys } from '#shared/cases/case-keys.ts';
import { type Case, isRestricted, OPEN_STATUSES } from '#shared/cases/case-schema.ts';
import type { EventDraft } from '#shared/cases/case-store.ts';
import { caseFromItem } from '#shared/cases/case-store.ts';
import { makeConfigStore } from '#shared/config/config-store.ts';
import type { FocalPoint } from '#shared/config/schemas.ts';
import { DEFAULT_SLA_POLICIES } from '#shared/sla/default-policies.ts';
import { escalationsDue, inWarningWindow } from '#shared/sla/sla.ts';
import type { EscalationLevel, SlaPolicy } from '#shared/sla/sla-schema.ts';
import type { Item } from '#shared/store/dynamodb.ts';
import { tableDefinition } from '#shared/store/table-definition.ts';

export const SWEEPER_ACTOR = { kind: 'system', id: 'sweeper' } as const;
const PAGE = 200;
const MAX_PAGES_PER_PARTITION = 50;

export interface SweepOptions {
  /** How long a resolved case waits for the satisfaction answer before it is closed without one. */
  noAnswerAfterMs: number;
}

export interface SweepReport {
  examined: number;
  warnings: number;
  escalations: number;
  breaches: number;
  closedNoAnswer: number;
  failures: number;
}

type Target = 'acknowledge' | 'resolve' | 'referral';

/** Which target a case is racing now, and when it falls due. */
export function currentTarget(c: Case): { target: Target; dueAt: string } | undefined {
  if (!c.sla) return undefined;
  if (c.status === 'new' || c.status === 'reopened')
    return { target: 'acknowledge', dueAt: c.sla.acknowledgeBy };
  if (c.status === 'referred') {
    // A referral meets the resolve-or-refer target; an accepted referral then runs on the partner's due time.
    return c.referral?.dueBy ? { target: 'referral', dueAt: c.referral.dueBy } : undefined;
  }
  return { target: 'resolve', dueAt: c.sla.resolveBy };
}

/** Who hears about `level` for a case: its focal points, then each one's `escalatesTo`, then theirs. */
export function escalationTargets(
  c: Case,
  level: EscalationLevel,
  focalPoints: readonly FocalPoint[],
): string[] {
  const byId = new Map(focalPoints.map((f) => [f.focalPointId, f]));
  let ids = [...new Set(c.routing?.focalPoints ?? [])];
  const steps = level === 'focal_point' ? 0 : level === 'supervisor' ? 1 : 2;
  for (let i = 0; i < steps; i++) {
    const up = [
      ...new Set(ids.map((id) => byId.get(id)?.escalatesTo).filter((x): x is string => Boolean(x))),
    ];
    if (up.length === 0) break;
    ids = up;
  }
  if (isRestricted(c.sensitivity)) ids = ids.filter((id) => byId.get(id)?.restricted === true);
  return ids;
}

/** The EMF line CloudWatch turns into metrics (namespace CFM), written by hand to keep the bundle small. */
export function emfLine(report: SweepReport, at: Date): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: 'CFM',
          Dimensions: [['service']],
          Metrics: [
            { Name: 'SlaBreaches', Unit: 'Count' },
            { Name: 'SlaEscalations', Unit: 'Count' },
            { Name: 'SlaWarnings', Unit: 'Count' },
            { Name: 'SatisfactionNoAnswerClosed', Unit: 'Count' },
          ],
        },
      ],
    },
    service: 'sweeper',
    SlaBreaches: report.breaches,
    SlaEscalations: report.escalations,
    SlaWarnings: report.warnings,
    SatisfactionNoAnswerClosed: report.closedNoAnswer,
  });
}

export function makeSweeper(platform: Platform, options: SweepOptions) {
  const config = makeConfigStore({ db: platform.db, tableName: platform.tableName, now: platform.now });
  const ix = tableDefinition.indexes.byStatusDue;

  async function* partition(pk: string, upper: string, lower?: string): AsyncGenerator<Item> {
    let lastKey: Item | undefined;
    for (let page = 0; page < MAX_PAGES_PER_PARTITION; page++) {
      const out = await platform.db.query({
        TableName: platform.tableName,
        IndexName: 'byStatusDue',
        KeyConditionExpression: lower ? '#pk = :pk AND #sk BETWEEN :lo AND :hi' : '#pk = :pk AND #sk <= :hi',
        FilterExpression: 'attribute_not_exists(#w)',
        ExpressionAttributeNames: { '#pk': ix.partitionKey, '#sk': ix.sortKey, '#w': 'waitingOn' },
        ExpressionAttributeValues: { ':pk': pk, ':hi': upper, ...(lower ? { ':lo': lower } : {}) },
        Limit: PAGE,
        ExclusiveStartKey: lastKey,
      });
      yield* out.items;
      lastKey = out.lastKey;
      if (!lastKey) return;
    }
  }

  async function sweepCase(
    item: Item,
    now: Date,
    cfg: ClockConfig,
    policies: readonly SlaPolicy[],
    focalPoints: readonly FocalPoint[],
    report: SweepReport,
  ): Promise<void> {
    const seen = caseFromItem(item);
    if (!currentTarget(seen)) return;
    let fired: { level?: EscalationLevel; warned?: boolean } = {};
    const result = await platform.cases.mutate(seen.caseId, undefined, (c) => {
      fired = {};
      const t = currentTarget(c);
      if (!t || !c.sla || c.waitingOn) return undefined;
      const policy =
        policies.find((p) => p.id === c.sla?.policyId) ??
        DEFAULT_SLA_POLICIES.find((p) => p.id === c.sla?.policyId);
      if (!policy) return undefined;
      const region = regionFor(c, cfg.calendar);
      const events: EventDraft[] = [];
      if (now.getTime() >= Date.parse(t.dueAt)) {
        const due = escalationsDue(policy, cfg.calendar, t.dueAt, now, region);
        const level = due.find((l) => !c.sla?.escalated.includes(`${t.target}:${l}`));
        if (!level) return undefined;
        fired = { level };
        events.push({
          type: 'escalated',
          actor: SWEEPER_ACTOR,
          reason: `The ${t.target} target was missed.`,
          data: {
            level,
            target: t.target,
            dueAt: t.dueAt,
            focalPoints: escalationTargets(c, level, focalPoints),
          },
        });
        return {
          next: { ...c, sla: { ...c.sla, escalated: [...c.sla.escalated, `${t.target}:${level}`] } },
          events,
        };
      }
      if (c.sla.warned.includes(t.target) || !inWarningWindow(policy, cfg.calendar, t.dueAt, now, region))
        return undefined;
      fired = { warned: true };
      events.push({
        type: 'sla_warning',
        actor: SWEEPER_ACTOR,
        reason: `The ${t.target} target falls due soon.`,
        data: {
          target: t.target,
          dueAt: t.dueAt,
          focalPoints: escalationTargets(c, 'focal_point', focalPoints),
        },
      });
      return { next: { ...c, sla: { ...c.sla, warned: [...c.sla.warned, t.target] } }, events };
    });
    if (!result.changed) return;
    if (fired.level) {
      report.escalations++;
      if (fired.level === 'focal_point') report.breaches++;
    } else if (fired.warned) report.warnings++;
    // A case that missed its target long ago may owe several levels; the next round takes the next one.
    if (fired.level) await sweepCase(item, now, cfg, policies, focalPoints, report);
  }

  /** The latest due time that may already need a warning: the widest warning window of any policy, from now. */
  function horizon(now: Date, cfg: ClockConfig): string {
    let latest = now.getTime();
    for (const p of cfg.slaPolicies) {
      const end =
        p.clock === '24x7'
          ? now.getTime() + p.warnBeforeMs
          : addWorkingTime(cfg.calendar, now, p.warnBeforeMs, cfg.calendar.defaultRegion).getTime() +
            86_400_000;
      latest = Math.max(latest, end);
    }
    return new Date(latest).toISOString();
  }

  async function closeUnanswered(now: Date, cfg: ClockConfig, report: SweepReport, agencies: string[]) {
    const cutoff = new Date(now.getTime() - options.noAnswerAfterMs).toISOString();
    for (const pk of agencies.flatMap((agency) =>
      [false, true].map((restricted) => caseKeys.statusPartition('resolved', restricted, agency)),
    )) {
      let lastKey: Item | undefined;
      for (let page = 0; page < MAX_PAGES_PER_PARTITION; page++) {
        const out = await platform.db.query({
          TableName: platform.tableName,
          IndexName: 'byStatusDue',
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
          ExpressionAttributeNames: { '#pk': ix.partitionKey, '#sk': ix.sortKey },
          ExpressionAttributeValues: { ':pk': pk, ':lo': 'W#', ':hi': `W#${cutoff}` },
          Limit: PAGE,
          ExclusiveStartKey: lastKey,
        });
        for (const item of out.items) {
          report.examined++;
          try {
            const r = await platform.cases.mutate(String(item.caseId), undefined, (c, at) => {
              const since = c.waitingSince ?? c.sla?.pausedSince;
              if (c.status !== 'resolved' || c.waitingOn !== 'complainant' || !since || since > cutoff)
                return undefined;
              return transitionChange(c, 'close', at, {
                actor: SWEEPER_ACTOR,
                reason: 'No answer to the satisfaction question.',
                cfg,
                data: { satisfaction: 'no_answer' },
                patch: { satisfaction: 'no_answer' },
              });
            });
            if (r.changed) report.closedNoAnswer++;
          } catch {
            report.failures++;
          }
        }
        lastKey = out.lastKey;
        if (!lastKey) break;
      }
    }
  }

  return {
    async run(): Promise<SweepReport> {
      const now = platform.now();
      const report: SweepReport = {
        examined: 0,
        warnings: 0,
        escalations: 0,
        breaches: 0,
        closedNoAnswer: 0,
        failures: 0,
      };
      const [cfg, focalPoints, agencies] = await Promise.all([
        loadClockConfig(config),
        config.list('focal-point'),
        agencyPartitions(config),
      ]);
      const policies = cfg.slaPolicies;
      const upper = `${horizon(now, cfg)}\uffff`;
      for (const agency of agencies) {
        for (const status of OPEN_STATUSES) {
          for (const restricted of [false, true]) {
            for await (const item of partition(caseKeys.statusPartition(status, restricted, agency), upper)) {
              report.examined++;
              try {
                await sweepCase(item, now, cfg, policies, focalPoints, report);
              } catch {
                report.failures++;
              }
            }
          }
        }
      }
      await closeUnanswered(now, cfg, report, agencies);
      return report;
    },
  };
}
