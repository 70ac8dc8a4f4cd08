/**
 * Which focal points a case goes to, from the routing rules ("routing is data"). Pure: the rules and focal
 * points come in as records, the decision goes out with the rule that made it.
 *
 * Specificity, compared field by field in this order (the first difference decides):
 *   1. location: a rule naming districts (2) beats one naming governorates (1) beats one naming neither (0);
 *   2. category: a rule naming categories beats one that does not;
 *   3. programme: a rule naming programmes beats one that does not;
 *   4. sensitivity: a rule naming sensitivities beats one that does not.
 * Rules equally specific are ordered by `priority` (higher first), then by `ruleId` (alphabetical), so the
 * choice never depends on the order rules were stored in. Only the winning rule's focal points are used.
 * The default rule (`isDefault`) applies when no other rule matches.
 *
 * Agencies: a case is routed only by its agency's rules to its agency's focal points (a rule or focal point
 * without an agency is the default agency's), so nothing below ever crosses from one agency to another, fallbacks
 * included.
 *
 * Restricted cases (S2, S3) never reach a focal point that may not see them: S3 goes only to active PSEA focal
 * points (kind `psea`, restricted), S2 only to active restricted focal points. A rule's other focal points are
 * withheld; a rule left with none drops out; the default rule never applies. When no rule yields one, S3 falls
 * back to every active PSEA focal point, S2 to every active fraud focal point (else every PSEA one); when there
 * is none, the case goes to nobody with the problem `ROUTING.NO_RESTRICTED_FOCAL_POINT` (never to a general
 * queue).
 */
import { agencyOf } from '../agencies/agency-id.ts';
import { isRestricted } from '../cases/case-schema.ts';
import type { Category, Sensitivity } from '../classification/taxonomy.ts';
import type { FocalPoint, RoutingRule } from '../config/schemas.ts';

/** The case fields routing looks at. */
export interface RoutingInput {
  category: Category | null;
  sensitivity: Sensitivity;
  governorate?: string | undefined;
  district?: string | undefined;
  programme?: string | undefined;
  /** The case's agency; the default agency when unset. */
  agency?: string | undefined;
}

export const ROUTING_PROBLEMS = ['ROUTING.NO_RESTRICTED_FOCAL_POINT', 'ROUTING.NO_DEFAULT_RULE'] as const;
export type RoutingProblem = (typeof ROUTING_PROBLEMS)[number];

/** The rule id recorded when restricted routing fell back to the designated focal points. */
export const RESTRICTED_FALLBACK_RULE = 'restricted-fallback';
/** The rule id recorded when no focal point could be found. */
export const UNROUTED_RULE = 'unrouted';

export interface RoutingDecision {
  focalPoints: string[];
  ruleId: string;
  restricted: boolean;
  problem?: RoutingProblem;
  /** Focal points the winning rule named but the case may not go to (inactive, unknown or not allowed). */
  withheld: string[];
}

/** A district P-code (`IQG15Q02`) starts with its governorate's (`IQG15`). */
export const governorateOf = (input: { governorate?: string | undefined; district?: string | undefined }) =>
  input.governorate ?? (input.district ? input.district.slice(0, 5) : undefined);

const listed = <T>(allowed: readonly T[] | undefined, value: T | null | undefined): boolean =>
  allowed === undefined || (value !== null && value !== undefined && allowed.includes(value));

/** Whether a rule's match covers the case; a field the rule leaves out matches anything. */
export function ruleMatches(rule: RoutingRule, input: RoutingInput): boolean {
  const m = rule.match;
  return (
    listed(m.categories, input.category) &&
    listed(m.governorates, governorateOf(input)) &&
    listed(m.districts, input.district) &&
    listed(m.programmes, input.programme) &&
    listed(m.sensitivities, input.sensitivity)
  );
}

/** A rule's specificity as the tuple compared field by field (see the module comment). */
export function specificity(rule: RoutingRule): [number, number, number, number] {
  const m = rule.match;
  return [
    m.districts ? 2 : m.governorates ? 1 : 0,
    m.categories ? 1 : 0,
    m.programmes ? 1 : 0,
    m.sensitivities ? 1 : 0,
  ];
}

/** Negative when `a` should win over `b`. */
export function compareRules(a: RoutingRule, b: RoutingRule): number {
  const sa = specificity(a);
  const sb = specificity(b);
  for (let i = 0; i < sa.length; i++) {
    const d = (sb[i] ?? 0) - (sa[i] ?? 0);
    if (d !== 0) return d;
  }
  if (a.priority !== b.priority) return b.priority - a.priority;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}

/** Whether a focal point may receive a case of this sensitivity. */
export function mayReceive(fp: FocalPoint, sensitivity: Sensitivity): boolean {
  if (!fp.active) return false;
  if (sensitivity === 'S3') return fp.restricted && fp.kind === 'psea';
  if (sensitivity === 'S2') return fp.restricted;
  return true;
}

/** Chooses the focal points for a case. */
export function chooseFocalPoints(
  input: RoutingInput,
  allRules: readonly RoutingRule[],
  allFocalPoints: readonly FocalPoint[],
): RoutingDecision {
  const agency = agencyOf(input);
  const rules = allRules.filter((r) => agencyOf(r) === agency);
  const focalPoints = allFocalPoints.filter((f) => agencyOf(f) === agency);
  const restricted = isRestricted(input.sensitivity);
  const byId = new Map(focalPoints.map((f) => [f.focalPointId, f]));
  const split = (rule: RoutingRule) => {
    const allowed: string[] = [];
    const withheld: string[] = [];
    for (const id of rule.focalPoints) {
      const fp = byId.get(id);
      if (fp && mayReceive(fp, input.sensitivity)) {
        if (!allowed.includes(id)) allowed.push(id);
      } else withheld.push(id);
    }
    return { allowed, withheld };
  };

  const active = rules.filter((r) => r.active);
  const candidates = active.filter((r) => !r.isDefault && ruleMatches(r, input)).sort(compareRules);
  const defaults = restricted ? [] : active.filter((r) => r.isDefault).sort(compareRules);
  for (const rule of [...candidates, ...defaults]) {
    const { allowed, withheld } = split(rule);
    if (allowed.length > 0) return { focalPoints: allowed, ruleId: rule.ruleId, restricted, withheld };
  }

  if (!restricted) {
    return {
      focalPoints: [],
      ruleId: UNROUTED_RULE,
      restricted,
      problem: 'ROUTING.NO_DEFAULT_RULE',
      withheld: [],
    };
  }
  const designated = (kind: FocalPoint['kind']) =>
    focalPoints
      .filter((f) => f.kind === kind && mayReceive(f, input.sensitivity))
      .map((f) => f.focalPointId)
      .sort();
  const fallback =
    input.sensitivity === 'S3'
      ? designated('psea')
      : designated('fraud').length > 0
        ? designated('fraud')
        : designated('psea');
  if (fallback.length > 0) {
    return { focalPoints: fallback, ruleId: RESTRICTED_FALLBACK_RULE, restricted, withheld: [] };
  }
  return {
    focalPoints: [],
    ruleId: UNROUTED_RULE,
    restricted,
    problem: 'ROUTING.NO_RESTRICTED_FOCAL_POINT',
    withheld: [],
  };
}
