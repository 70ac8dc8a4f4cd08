/**
 * The time-to-close report, read from the aggregates (never from the cases): per group, how many cases were
 * received in the period and how many of those are closed, how long they took to close (exact median and 90th
 * percentile over the period, calendar and working time), the share resolved within the SLA, the share closed
 * with the loop closed, the backlog by age, and the share of automatic classifications that officers changed.
 * Every share carries the count it is a share of, so "100 %" over one case reads as one case.
 *
 * Restricted (S2/S3) cases are always counted: the total covers every case received in the period, and
 * `restricted` says how many of them are restricted. Only roles allowed restricted cases see them inside the groups
 * (`includesRestricted`); for everyone else they are not broken down by category, channel, place, focal point or
 * month, so no group's figure says anything about a restricted case.
 */
import * as z from 'zod';
import type { AggregateRow, ValuesRow } from './aggregate-store.ts';
import type { Dimension, Step } from './aggregates.ts';
import { concatenate, percentileUnsorted } from './duration-list.ts';

export const GROUP_BY = ['category', 'channel', 'governorate', 'focalPoint', 'month'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export const ReportQuerySchema = z.object({
  groupBy: z.enum(GROUP_BY).default('category'),
  from: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month such as 2026-01')
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month such as 2026-03')
    .optional(),
});

/** Backlog age bands, in whole days since the day the case was received. */
export const AGE_BANDS = [
  { label: '0-2d', maxDays: 2 },
  { label: '3-7d', maxDays: 7 },
  { label: '8-14d', maxDays: 14 },
  { label: '15-30d', maxDays: 30 },
  { label: '31-90d', maxDays: 90 },
  { label: '>90d', maxDays: Number.POSITIVE_INFINITY },
] as const;

export const dimensionFor = (g: GroupBy): Dimension => (g === 'month' ? 'all' : g);

/** The median and 90th percentile of exact times to close, over `count` closed cases. */
export interface Figure {
  count: number;
  medianMs?: number;
  p90Ms?: number;
}

const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);

/** Exact figures from seconds in any order (reordered in place). */
function figure(seconds: Float64Array): Figure {
  const ms = (v: number | undefined) => (v === undefined ? undefined : Math.round(v * 1000));
  return {
    count: seconds.length,
    ...(seconds.length
      ? { medianMs: ms(percentileUnsorted(seconds, 50)), p90Ms: ms(percentileUnsorted(seconds, 90)) }
      : {}),
  };
}

export interface ReportGroup {
  group: string;
  /** Cases received in the period. */
  received: number;
  /** Of those, the cases closed by now. */
  closed: number;
  timeToClose: { calendar: Figure; working: Figure; meanCalendarMs?: number; meanWorkingMs?: number };
  /** How many of the cases received reached each step. */
  steps: Record<'acknowledge' | 'firstAction' | 'resolve' | 'close', { count: number }>;
  withinSla: { resolved: number; within: number; share: number | null };
  loopClosed: { closed: number; loopClosed: number; share: number | null };
  classification: { automatic: number; changedByOfficer: number; share: number | null };
  /**
   * Restrictions lifted: of the cases the platform restricted, how many a focal point downgraded, overall and
   * by the basis of the restriction. Only in reports that include restricted cases.
   */
  downgraded?: Downgraded;
  backlog: { open: number; byAge: Record<string, number> };
}

/** The bases a restriction rests on, as the reports break the downgrades down. */
export const RESTRICTION_BASES = ['explicit', 'model', 'caution', 'person'] as const;

export interface DowngradeFigure {
  restricted: number;
  downgraded: number;
  share: number | null;
}
export type Downgraded = DowngradeFigure & {
  byBasis: Record<(typeof RESTRICTION_BASES)[number], DowngradeFigure>;
};

const STEP_NAMES: Record<Step, keyof ReportGroup['steps']> = {
  ack: 'acknowledge',
  act: 'firstAction',
  res: 'resolve',
  close: 'close',
};

const DAY_MS = 86_400_000;
const STEPS = Object.keys(STEP_NAMES) as Step[];

/** The backlog band of a case received `days` whole days ago. */
function bandOf(days: number): string {
  for (const b of AGE_BANDS) if (days <= b.maxDays) return b.label;
  return AGE_BANDS[5].label;
}

/** Exact times to close (seconds, in no particular order) in calendar and working time. */
export interface CloseTimes {
  calendar: Float64Array;
  working: Float64Array;
}

/** Sums rows into one group's report, in one pass over the summed counters, with the group's exact times. */
export function summarise(
  group: string,
  rows: readonly AggregateRow[],
  times: CloseTimes,
  now: Date,
): ReportGroup {
  const c: Record<string, number> = {};
  const byAge: Record<string, number> = Object.fromEntries(AGE_BANDS.map((b) => [b.label, 0]));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (const r of rows) {
    for (const k in r.counters) {
      const v = r.counters[k] as number;
      if (k.startsWith('od_')) {
        if (v === 0) continue;
        const days = Math.max(0, Math.floor((today - Date.parse(`${k.slice(3)}T00:00:00Z`)) / DAY_MS));
        const band = bandOf(days);
        byAge[band] = (byAge[band] ?? 0) + v;
      } else c[k] = (c[k] ?? 0) + v;
    }
  }
  const closed = c.n_close ?? 0;
  return {
    group,
    received: c.n ?? 0,
    closed,
    timeToClose: {
      calendar: figure(times.calendar),
      working: figure(times.working),
      ...(closed > 0
        ? {
            meanCalendarMs: Math.round((c.s_close_c ?? 0) / closed),
            meanWorkingMs: Math.round((c.s_close_w ?? 0) / closed),
          }
        : {}),
    },
    steps: Object.fromEntries(
      STEPS.map((s) => [STEP_NAMES[s], { count: c[`n_${s}`] ?? 0 }]),
    ) as ReportGroup['steps'],
    withinSla: {
      resolved: c.n_sla ?? 0,
      within: c.n_within ?? 0,
      share: share(c.n_within ?? 0, c.n_sla ?? 0),
    },
    loopClosed: { closed, loopClosed: c.n_loop ?? 0, share: share(c.n_loop ?? 0, closed) },
    classification: {
      automatic: c.n_auto ?? 0,
      changedByOfficer: c.n_changed ?? 0,
      share: share(c.n_changed ?? 0, c.n_auto ?? 0),
    },
    downgraded: {
      restricted: c.n_rs ?? 0,
      downgraded: c.n_dg ?? 0,
      share: share(c.n_dg ?? 0, c.n_rs ?? 0),
      byBasis: Object.fromEntries(
        RESTRICTION_BASES.map((b) => {
          const restricted = c[`n_rs_${b}`] ?? 0;
          const downgraded = c[`n_dg_${b}`] ?? 0;
          return [b, { restricted, downgraded, share: share(downgraded, restricted) }];
        }),
      ) as Downgraded['byBasis'],
    },
    backlog: { open: c.n_open ?? 0, byAge },
  };
}

/** The restricted cases of the period, counted without any breakdown. */
export interface RestrictedCount {
  received: number;
  closed: number;
  open: number;
  /** Whether the groups include them (only for roles allowed restricted cases). */
  inGroups: boolean;
}

/** What a report is built from: the rows and exact times of its dimension, and those its total is summed from. */
export interface ReportInput {
  /** Counter rows of the grouping's dimension, both scopes. */
  rows: readonly AggregateRow[];
  /** Exact times of the grouping's dimension, both scopes. */
  values: readonly ValuesRow[];
  /** Rows and times the total is summed from: the `all` dimension when a case may sit in several groups. */
  totalRows: readonly AggregateRow[];
  totalValues: readonly ValuesRow[];
}

/** The lists of each group (a month when grouping by month), in one pass over the values rows. */
function listsByGroup(
  values: readonly ValuesRow[],
  keyOf: (row: ValuesRow, group: string) => string,
): Map<string, { calendar: number[][]; working: number[][] }> {
  const out = new Map<string, { calendar: number[][]; working: number[][] }>();
  for (const row of values) {
    for (const attr in row.lists) {
      const key = keyOf(row, attr.slice(2));
      let lists = out.get(key);
      if (!lists) {
        lists = { calendar: [], working: [] };
        out.set(key, lists);
      }
      (attr.startsWith('c#') ? lists.calendar : lists.working).push(row.lists[attr] as number[]);
    }
  }
  return out;
}

const merged = (lists: { calendar: number[][]; working: number[][] } | undefined): CloseTimes => ({
  calendar: concatenate(lists?.calendar ?? []),
  working: concatenate(lists?.working ?? []),
});

/**
 * The report: one entry per group (months for `month`), the total over every case of the period (each counted
 * once, restricted ones too), and how many of them are restricted. Groups hold restricted cases only when
 * `includeRestricted`.
 */
export function buildReport(
  groupBy: GroupBy,
  input: ReportInput,
  options: { includeRestricted: boolean },
  now: Date,
) {
  const visible = (r: { restricted: boolean }) => options.includeRestricted || !r.restricted;
  const keyOf = (r: { month: string }, group: string) => (groupBy === 'month' ? r.month : group);
  const groups = new Map<string, AggregateRow[]>();
  for (const r of input.rows) {
    if (!visible(r)) continue;
    const key = keyOf(r, r.group);
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const byGroup = listsByGroup(input.values.filter(visible), keyOf);
  const total = summarise(
    '*',
    input.totalRows,
    merged(listsByGroup(input.totalValues, () => '*').get('*')),
    now,
  );
  const restrictedRows = input.totalRows.filter((r) => r.restricted);
  const restricted = summarise('restricted', restrictedRows, merged(undefined), now);
  if (!options.includeRestricted) {
    // The downgrade figures speak of restricted cases: for their readers only.
    delete total.downgraded;
  }
  const hide = (g: ReportGroup): ReportGroup => {
    if (!options.includeRestricted) delete g.downgraded;
    return g;
  };
  return {
    groupBy,
    includesRestricted: options.includeRestricted,
    groups: [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([g, list]) => hide(summarise(g, list, merged(byGroup.get(g)), now)))
      // A group every case has left (reclassified, relocated, restricted) keeps zeroed counters: not a group.
      .filter((g) => g.received !== 0),
    total,
    restricted: {
      received: restricted.received,
      closed: restricted.closed,
      open: restricted.backlog.open,
      inGroups: options.includeRestricted,
    } satisfies RestrictedCount,
  };
}
