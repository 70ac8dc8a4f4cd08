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
 * - `n_ack`, `n_act`, `n_res`, `n_close` cases with each clock stamp, and `h_<step>_<c|w>_<bucket>` their
 *   duration histograms in calendar (c) and working (w) time; `s_close_c`, `s_close_w` the sums;
 * - `n_sla` resolved cases with an SLA, `n_within` those resolved by their due time;
 * - `n_loop` closed cases whose complainant heard the outcome (SMS, call, or on the first contact);
 * - `n_auto` cases with an automatic classification, `n_changed` those an officer changed;
 * - `n_rs` cases the platform restricted (and `n_rs_<basis>`: explicit, model, caution, person), `n_dg` (and
 *   `n_dg_<basis>`) those whose restriction a focal point lifted since.
 */
import type { Calendar } from '../calendar/calendar-schema.ts';
import { type Case, isRestricted, OPEN_STATUSES } from '../cases/case-schema.ts';
import { durations } from '../sla/sla.ts';
import { bucketOf } from './histogram.ts';

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

export const aggKeys = {
  partition: (dimension: Dimension, year: string, restricted: boolean) =>
    `AGG#${dimension}#${year}${restricted ? '#R' : ''}`,
  item: (dimension: Dimension, month: string, group: string, restricted: boolean) => ({
    pk: aggKeys.partition(dimension, month.slice(0, 4), restricted),
    sk: `${month}#${group}`,
  }),
  /** Quarters of every year share one partition per dimension and scope, so any run of them is one Query. */
  quarterPartition: (dimension: Dimension, restricted: boolean) =>
    `AGG#${dimension}#Q${restricted ? '#R' : ''}`,
  quarter: (dimension: Dimension, month: string, group: string, restricted: boolean) => ({
    pk: aggKeys.quarterPartition(dimension, restricted),
    sk: `${quarterOfIndex(monthIndex(month))}#${group}`,
  }),
  /** The marker of the current roll-up scheme (tables projected by earlier schemes have none). */
  rollupMarker: (year: string) => ({ pk: 'AGG#ROLLUP', sk: `${year}#quarters` }),
};

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
    add(`h_${short}_c_${bucketOf(e.calendarMs)}`);
    add(`h_${short}_w_${bucketOf(e.workingMs)}`);
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

/** Every aggregate item the case counts in, with its counters. */
export function contributionOf(c: Case, calendar: Calendar, region: Calendar['defaultRegion']): Contribution {
  const counters = caseCounters(c, calendar, region);
  const month = c.receivedAt.slice(0, 7);
  const restricted = isRestricted(c.sensitivity);
  const out: Contribution = {};
  for (const d of DIMENSIONS) {
    for (const g of groupsOf(c, d)) {
      const k = aggKeys.item(d, month, g, restricted);
      out[`${k.pk}|${k.sk}`] = { ...counters };
      if (!hasRollups(d)) continue;
      const q = aggKeys.quarter(d, month, g, restricted);
      out[`${q.pk}|${q.sk}`] = { ...counters };
    }
  }
  return out;
}

/** What must be added to go from `before` to `after` (zeros left out). */
export function contributionDelta(before: Contribution, after: Contribution): Contribution {
  const out: Contribution = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
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
