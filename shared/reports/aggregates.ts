/**
 * Time-to-close aggregates: what one case adds to the report counters, as a pure function of the case.
 *
 * Items: pk `AGG#<dimension>#<yyyy>` (with `#R` for restricted cases, kept apart so reports for roles without
 * the right leave them out entirely), sk `<yyyy-mm>#<group>`. A year's partition answers any period inside it
 * with one Query. The month is the month the case was received (UTC): a report for a period covers the cases
 * received in it, however long they took.
 *
 * Quarterly roll-ups hold the same counters summed over a quarter's months, written in the same transaction as
 * the month: pk `AGG#<dimension>#Q` (`#Q#R` restricted), one partition for every year, sk `<yyyy>-Q<n>#<group>`,
 * so a report over whole quarters, across a new year too, reads one item per group and quarter in one Query.
 * Quarters, not years: every update is billed by the size of the whole item, and a year's item (with a backlog
 * counter per day) would be the largest. Focal points have no roll-ups (see {@link hasRollups}). A roll-up marker
 * (pk `AGG#ROLLUP`, sk `<yyyy>#quarters`) records whether a year's roll-ups are complete: it is created with the
 * first write of the year, `complete` only if no monthly row of that year existed then (data projected before the
 * roll-ups existed stays on the month path).
 *
 * Counters on each item (all numbers, so DynamoDB's ADD keeps them without a read):
 * - `n` cases received; `n_open` still open; `od_<yyyy-mm-dd>` open cases by day received (backlog by age is
 *   read from these at report time, as ages grow without any write);
 * - `n_ack`, `n_act`, `n_res`, `n_close` cases with each clock stamp; `s_close_c`, `s_close_w` the sums of the
 *   times to close in calendar (c) and working (w) time;
 * - `n_sla` resolved cases with an SLA, `n_within` those resolved by their due time;
 * - `n_loop` closed cases whose complainant heard the outcome (SMS, call, or on the first contact);
 * - `n_auto` cases with an automatic classification, `n_changed` those an officer changed;
 * - `n_rs` cases the platform restricted (and `n_rs_<basis>`: explicit, model, caution, person), `n_dg` (and
 *   `n_dg_<basis>`) those whose restriction a focal point lifted since.
 *
 * Exact times to close, for medians and percentiles that are the true ones: one item per dimension, dekad received
 * (days 1-10, 11-20, 21-31 of a month, as humanitarian reporting often counts) and scope, pk `AGG#<dimension>#V`
 * (`#V#R` restricted), sk `<yyyy-mm>-d<1|2|3>`, with one list per group and clock (`c#<group>`, `w#<group>`: every
 * closed case's duration in seconds, see duration-list.ts). All dekads of every year are one partition per
 * dimension and scope, so any period is one Query. A dekad, not a month: an item is rewritten whole at each
 * closure and billed by its size, and must stay far below DynamoDB's 400 KB; not a day: a year's report would read
 * 365 small items per scope, each carrying its keys again. A case's contribution names its own values
 * (`c#<group>` = its seconds); the aggregate store adds them to and removes them from the lists.
 */
import { agencyOf, DEFAULT_AGENCY } from '../agencies/agency-id.ts';
import type { Calendar } from '../calendar/calendar-schema.ts';
import { type Case, isRestricted, OPEN_STATUSES } from '../cases/case-schema.ts';
import { durations } from '../sla/sla.ts';
import { toSeconds } from './duration-list.ts';

export const DIMENSIONS = ['all', 'category', 'channel', 'governorate', 'focalPoint'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const STEPS = {
  ack: 'toAcknowledge',
  act: 'toFirstAction',
  res: 'toResolve',
  close: 'toClose',
} as const;
export type Step = keyof typeof STEPS;

/** Months counted from year 0: `yyyy-mm` and back. */
export const monthIndex = (month: string): number =>
  Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
export const monthOfIndex = (i: number): string =>
  `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
/** The quarter `yyyy-Qn` a month index falls in. */
export const quarterOfIndex = (i: number): string =>
  `${String(Math.floor(i / 12)).padStart(4, '0')}-Q${Math.floor((i % 12) / 3) + 1}`;

/**
 * Each agency counts apart (`AGG@<agency>#…`), so an agency's reports read only its own items and a deployment-wide
 * report reads each agency's; the default agency keeps the unprefixed keys (nothing to migrate).
 */
const agg = (agency: string) => (agency === DEFAULT_AGENCY ? 'AGG' : `AGG@${agency}`);

export const aggKeys = {
  partition: (dimension: Dimension, year: string, restricted: boolean, agency = DEFAULT_AGENCY) =>
    `${agg(agency)}#${dimension}#${year}${restricted ? '#R' : ''}`,
  item: (
    dimension: Dimension,
    month: string,
    group: string,
    restricted: boolean,
    agency = DEFAULT_AGENCY,
  ) => ({
    pk: aggKeys.partition(dimension, month.slice(0, 4), restricted, agency),
    sk: `${month}#${group}`,
  }),
  /** Quarters of every year share one partition per dimension and scope, so any run of them is one Query. */
  quarterPartition: (dimension: Dimension, restricted: boolean, agency = DEFAULT_AGENCY) =>
    `${agg(agency)}#${dimension}#Q${restricted ? '#R' : ''}`,
  quarter: (
    dimension: Dimension,
    month: string,
    group: string,
    restricted: boolean,
    agency = DEFAULT_AGENCY,
  ) => ({
    pk: aggKeys.quarterPartition(dimension, restricted, agency),
    sk: `${quarterOfIndex(monthIndex(month))}#${group}`,
  }),
  /** The marker of the current roll-up scheme (tables projected by earlier schemes have none). */
  rollupMarker: (year: string) => ({ pk: 'AGG#ROLLUP', sk: `${year}#quarters` }),
  /** The partition of a dimension's exact times to close: every month of every year, one scope. */
  valuesPartition: (dimension: Dimension, restricted: boolean, agency = DEFAULT_AGENCY) =>
    `${agg(agency)}#${dimension}#V${restricted ? '#R' : ''}`,
  values: (dimension: Dimension, receivedAt: string, restricted: boolean, agency = DEFAULT_AGENCY) => ({
    pk: aggKeys.valuesPartition(dimension, restricted, agency),
    sk: dekadOf(receivedAt),
  }),
};

/** The dekad an instant's UTC day falls in, `<yyyy-mm>-d1` (days 1-10), `-d2` (11-20) or `-d3` (21-31). */
export function dekadOf(iso: string): string {
  const day = Number(iso.slice(8, 10));
  return `${iso.slice(0, 7)}-d${day <= 10 ? 1 : day <= 20 ? 2 : 3}`;
}

/** Whether a contribution key (`<pk>|<sk>`) names an item of exact values rather than of counters. */
export const isValuesKey = (key: string): boolean => /^AGG(@[a-z0-9_-]+)?#[A-Za-z]+#V(#R)?\|/.test(key);

/** The list attribute of a group's exact times to close, in calendar (`c`) or working (`w`) time. */
export const valuesAttr = (clock: 'c' | 'w', group: string): string => `${clock}#${group}`;

/**
 * Whether a dimension keeps roll-ups. Not the focal point: a case may have up to 20, and a case moving between
 * groups must fit one transaction (100 items), so its reports read the monthly rows.
 */
export const hasRollups = (d: Dimension): boolean => d !== 'focalPoint';

/** Counters one case adds, per aggregate item (`<pk>|<sk>`). */
export type Contribution = Record<string, Record<string, number>>;

const groupsOf = (c: Case, d: Dimension): string[] => {
  switch (d) {
    case 'all':
      return ['*'];
    case 'category':
      return [c.category ?? 'none'];
    case 'channel':
      return [c.channel];
    case 'governorate':
      return [c.location.governorate ?? c.location.district?.slice(0, 5) ?? 'none'];
    case 'focalPoint': {
      const fps = c.routing?.focalPoints ?? [];
      return fps.length ? [...new Set(fps)] : ['none'];
    }
  }
};

/** The counters of one case, identical on every aggregate item it belongs to. */
export function caseCounters(
  c: Case,
  calendar: Calendar,
  region: Calendar['defaultRegion'],
): Record<string, number> {
  const out: Record<string, number> = { n: 1 };
  const add = (k: string, v = 1) => {
    out[k] = (out[k] ?? 0) + v;
  };
  if ((OPEN_STATUSES as readonly string[]).includes(c.status)) {
    add('n_open');
    add(`od_${c.receivedAt.slice(0, 10)}`);
  }
  const d = durations(c, calendar, region);
  for (const [short, key] of Object.entries(STEPS) as [Step, (typeof STEPS)[Step]][]) {
    const e = d[key];
    if (!e) continue;
    add(`n_${short}`);
    if (short === 'close') {
      add('s_close_c', e.calendarMs);
      add('s_close_w', e.workingMs);
    }
  }
  if (c.resolvedAt && c.sla) {
    add('n_sla');
    if (Date.parse(c.resolvedAt) <= Date.parse(c.sla.resolveBy)) add('n_within');
  }
  if (c.status === 'closed' && c.loopClosedBy) add('n_loop');
  if (c.classification.automatic) {
    add('n_auto');
    if (c.classification.changedByOfficer) add('n_changed');
  }
  const restrictedBy = c.classification.restrictedBasis;
  if (restrictedBy) {
    add('n_rs');
    add(`n_rs_${restrictedBy}`);
    if (c.classification.lifted) {
      add('n_dg');
      add(`n_dg_${restrictedBy}`);
    }
  }
  return out;
}

/**
 * Every aggregate item the case counts in, with its counters; a closed case also names its exact times to close
 * (in seconds) on each dimension's values item.
 */
export function contributionOf(c: Case, calendar: Calendar, region: Calendar['defaultRegion']): Contribution {
  const counters = caseCounters(c, calendar, region);
  const month = c.receivedAt.slice(0, 7);
  const restricted = isRestricted(c.sensitivity);
  const agency = agencyOf(c);
  const toClose = durations(c, calendar, region).toClose;
  const out: Contribution = {};
  for (const d of DIMENSIONS) {
    const values: Record<string, number> = {};
    for (const g of groupsOf(c, d)) {
      const k = aggKeys.item(d, month, g, restricted, agency);
      out[`${k.pk}|${k.sk}`] = { ...counters };
      if (toClose) {
        values[valuesAttr('c', g)] = toSeconds(toClose.calendarMs);
        values[valuesAttr('w', g)] = toSeconds(toClose.workingMs);
      }
      if (!hasRollups(d)) continue;
      const q = aggKeys.quarter(d, month, g, restricted, agency);
      out[`${q.pk}|${q.sk}`] = { ...counters };
    }
    if (toClose) {
      const v = aggKeys.values(d, c.receivedAt, restricted, agency);
      out[`${v.pk}|${v.sk}`] = values;
    }
  }
  return out;
}

/** What must be added to the counter items to go from `before` to `after` (zeros left out; values items apart). */
export function contributionDelta(before: Contribution, after: Contribution): Contribution {
  const out: Contribution = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (isValuesKey(key)) continue;
    const b = before[key] ?? {};
    const a = after[key] ?? {};
    const delta: Record<string, number> = {};
    for (const attr of new Set([...Object.keys(b), ...Object.keys(a)])) {
      const v = (a[attr] ?? 0) - (b[attr] ?? 0);
      if (v !== 0) delta[attr] = v;
    }
    if (Object.keys(delta).length) out[key] = delta;
  }
  return out;
}

/** What changes on one values item: the case's old values to take out, its new ones to put in, per list. */
export interface ValuesChange {
  remove: Record<string, number>;
  add: Record<string, number>;
}

/** The values items whose lists change between two contributions of a case, and how. */
export function valuesDelta(before: Contribution, after: Contribution): Record<string, ValuesChange> {
  const out: Record<string, ValuesChange> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!isValuesKey(key)) continue;
    const b = before[key] ?? {};
    const a = after[key] ?? {};
    const change: ValuesChange = { remove: {}, add: {} };
    for (const attr of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (b[attr] === a[attr]) continue;
      if (b[attr] !== undefined) change.remove[attr] = b[attr];
      if (a[attr] !== undefined) change.add[attr] = a[attr];
    }
    if (Object.keys(change.remove).length || Object.keys(change.add).length) out[key] = change;
  }
  return out;
}
