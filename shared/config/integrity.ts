/**
 * Checks that span records, which no single record's schema can see: rules and escalations that name focal
 * points that do not exist, escalation loops, a missing or doubled default rule, and (the one that matters most)
 * a rule that could send a restricted case to a focal point not allowed to see it.
 */
import { agencyOf, DEFAULT_AGENCY } from '../agencies/agency-id.ts';
import { CATEGORY_SENSITIVITY } from '../classification/taxonomy.ts';
import type { EscalationLevel } from '../sla/sla-schema.ts';
import type { FocalPoint, RoutingRule } from './schemas.ts';

export interface ConfigProblem {
  code:
    | 'CONFIG.UNKNOWN_FOCAL_POINT'
    | 'CONFIG.ESCALATION_LOOP'
    | 'CONFIG.DEFAULT_RULE'
    | 'CONFIG.RESTRICTED_TO_UNRESTRICTED'
    | 'CONFIG.OTHER_AGENCY_FOCAL_POINT';
  message: string;
}

const RESTRICTED = new Set(['S2', 'S3']);

/** Whether a rule is meant for restricted cases: it names S2/S3, or only categories that are S2/S3 by default. */
function routesRestricted(rule: RoutingRule): boolean {
  const { sensitivities, categories } = rule.match;
  if (sensitivities) return sensitivities.every((s) => RESTRICTED.has(s));
  return categories?.every((c) => RESTRICTED.has(CATEGORY_SENSITIVITY[c])) ?? false;
}

/** Every problem found, empty when the configuration hangs together. */
export function checkConfig(
  focalPoints: readonly FocalPoint[],
  rules: readonly RoutingRule[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const byId = new Map(focalPoints.map((f) => [f.focalPointId, f]));

  for (const f of focalPoints) {
    if (f.escalatesTo !== undefined && !byId.has(f.escalatesTo)) {
      problems.push({
        code: 'CONFIG.UNKNOWN_FOCAL_POINT',
        message: `focal point ${f.focalPointId} escalates to unknown ${f.escalatesTo}`,
      });
    }
    const seen = new Set([f.focalPointId]);
    for (let next = f.escalatesTo; next !== undefined; next = byId.get(next)?.escalatesTo) {
      if (seen.has(next)) {
        problems.push({ code: 'CONFIG.ESCALATION_LOOP', message: `escalation from ${f.focalPointId} loops` });
        break;
      }
      seen.add(next);
    }
  }

  const active = rules.filter((r) => r.active);
  // Each agency routes its own cases: the default agency, and every agency a rule names, needs its default rule.
  const agencies = new Set([DEFAULT_AGENCY, ...active.map((r) => agencyOf(r))]);
  for (const agency of [...agencies].sort()) {
    const defaults = active.filter((r) => r.isDefault && agencyOf(r) === agency);
    if (defaults.length !== 1) {
      problems.push({
        code: 'CONFIG.DEFAULT_RULE',
        message:
          agency === DEFAULT_AGENCY
            ? `there must be exactly one active default rule (found ${defaults.length})`
            : `agency ${agency} must have exactly one active default rule (found ${defaults.length})`,
      });
    }
  }
  for (const r of active) {
    for (const id of r.focalPoints) {
      const f = byId.get(id);
      if (!f) {
        problems.push({
          code: 'CONFIG.UNKNOWN_FOCAL_POINT',
          message: `rule ${r.ruleId} names unknown ${id}`,
        });
      } else if (agencyOf(f) !== agencyOf(r)) {
        problems.push({
          code: 'CONFIG.OTHER_AGENCY_FOCAL_POINT',
          message: `rule ${r.ruleId} of agency ${agencyOf(r)} names ${id} of agency ${agencyOf(f)}`,
        });
      } else if (routesRestricted(r) && !f.restricted) {
        problems.push({
          code: 'CONFIG.RESTRICTED_TO_UNRESTRICTED',
          message: `rule ${r.ruleId} sends restricted cases to ${id}, who may not see them`,
        });
      }
    }
  }
  return problems;
}

const LEVEL_STEPS: Readonly<Record<EscalationLevel, number>> = {
  focal_point: 0,
  supervisor: 1,
  programme_manager: 2,
};

/**
 * Who hears about an overdue case at an escalation level: the focal point itself, then one or two steps up its
 * `escalatesTo` chain. Stops early (at the highest person there is) when the chain is shorter; inactive people
 * are skipped over; undefined for an unknown focal point.
 */
export function escalationTarget(
  focalPoints: readonly FocalPoint[],
  focalPointId: string,
  level: EscalationLevel,
): FocalPoint | undefined {
  const byId = new Map(focalPoints.map((f) => [f.focalPointId, f]));
  const start = byId.get(focalPointId);
  if (!start) return undefined;
  let current = start;
  let reached = start;
  const seen = new Set([start.focalPointId]);
  for (let steps = LEVEL_STEPS[level]; steps > 0; ) {
    const next = current.escalatesTo === undefined ? undefined : byId.get(current.escalatesTo);
    if (!next || seen.has(next.focalPointId)) break;
    seen.add(next.focalPointId);
    current = next;
    if (next.active) {
      reached = next;
      steps--;
    }
  }
  return reached;
}

/** Which focal points active rules route to, and through which rules. */
export function routingTargets(rules: readonly RoutingRule[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rules) {
    if (!r.active) continue;
    for (const id of r.focalPoints) out.set(id, [...(out.get(id) ?? []), r.ruleId]);
  }
  return out;
}

/**
 * Routing targets that nobody holds: a case routed there sits in no one's queue. `memberCount` says how many staff
 * users act as a focal point.
 */
export function focalPointsWithoutMembers(
  rules: readonly RoutingRule[],
  memberCount: (focalPointId: string) => number,
): { focalPointId: string; ruleIds: string[] }[] {
  return [...routingTargets(rules)]
    .filter(([id]) => memberCount(id) === 0)
    .map(([focalPointId, ruleIds]) => ({ focalPointId, ruleIds }))
    .sort((a, b) => a.focalPointId.localeCompare(b.focalPointId));
}
