/**
 * The time-to-close report, read from the aggregates (never from the cases): per group, how many cases were
 * received in the period, how long each step took (median and 90th percentile, calendar and working time),
 * the share resolved within the SLA, the share closed with the loop closed, the backlog by age, and the share
 * of automatic classifications that officers changed, and the share of restrictions focal points downgraded.
 */
import * as z from 'zod';
import type { AggregateRow } from './aggregate-store.ts';
import type { Dimension, Step } from './aggregates.ts';
import { countOf, type Histogram, percentileOf } from './histogram.ts';

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

interface Figure {
  count: number;
  medianMs?: number;
  p90Ms?: number;
}

const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n));
const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);

function figure(h: Histogram): Figure {
  return { count: countOf(h), medianMs: round(percentileOf(h, 50)), p90Ms: round(percentileOf(h, 90)) };
}

export interface ReportGroup {
  group: string;
  received: number;
  closed: number;
  timeToClose: { calendar: Figure; working: Figure; meanCalendarMs?: number; meanWorkingMs?: number };
  steps: Record<'acknowledge' | 'firstAction' | 'resolve' | 'close', { calendar: Figure; working: Figure }>;
  withinSla: { resolved: number; within: number; share: number | null };
  loopClosed: { closed: number; loopClosed: number; share: number | null };
  classification: { automatic: number; changedByOfficer: number; share: number | null };
  /**
   * Restrictions lifted: of the cases the platform restricted, how many a focal point downgraded, overall and
   * by the basis of the restriction. Only in reports that include restricted cases (see the report service).
   */
  downgraded?: Downgraded;
  backlog: { open: number; byAge: Record<string, number> };
}

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

/** Sums rows into one group's report, in one pass over the summed counters. */
export function summarise(group: string, rows: readonly AggregateRow[], now: Date): ReportGroup {
  const c: Record<string, number> = {};
  const sums = new Map<string, number>();
  for (const r of rows)
    for (const k in r.counters) sums.set(k, (sums.get(k) ?? 0) + (r.counters[k] as number));
  const histograms = new Map<string, Histogram>(); // `<step>_<clock>`
  for (const s of STEPS) for (const clock of ['c', 'w']) histograms.set(`${s}_${clock}`, new Map());
  const byAge: Record<string, number> = Object.fromEntries(AGE_BANDS.map((b) => [b.label, 0]));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (const [k, v] of sums) {
    if (k.startsWith('h_')) {
      // h_<step>_<clock>_<bucket>; the bucket may be -1.
      const cut = k.indexOf('_', k.indexOf('_', 2) + 1);
      const h = histograms.get(k.slice(2, cut));
      if (h && v > 0) h.set(Number(k.slice(cut + 1)), v);
    } else if (k.startsWith('od_')) {
      if (v <= 0) continue;
      const days = Math.max(0, Math.floor((today - Date.parse(`${k.slice(3)}T00:00:00Z`)) / DAY_MS));
      const band = bandOf(days);
      byAge[band] = (byAge[band] ?? 0) + v;
    } else c[k] = v;
  }
  const steps = Object.fromEntries(
    STEPS.map((s) => [
      STEP_NAMES[s],
      {
        calendar: figure(histograms.get(`${s}_c`) as Histogram),
        working: figure(histograms.get(`${s}_w`) as Histogram),
      },
    ]),
  ) as ReportGroup['steps'];
  const closed = c.n_close ?? 0;
  return {
    group,
    received: c.n ?? 0,
    closed,
    timeToClose: {
      calendar: steps.close.calendar,
      working: steps.close.working,
      ...(closed > 0
        ? {
            meanCalendarMs: Math.round((c.s_close_c ?? 0) / closed),
            meanWorkingMs: Math.round((c.s_close_w ?? 0) / closed),
          }
        : {}),
    },
    steps,
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

/**
 * The report: one entry per group (months for `month`) and the total, summed from the `all` dimension (a case
 * routed to two focal points counts in both groups but once in the total).
 */
export function buildReport(
  groupBy: GroupBy,
  rows: readonly AggregateRow[],
  totalRows: readonly AggregateRow[],
  now: Date,
  options: { includesRestricted?: boolean } = {},
) {
  const groups = new Map<string, AggregateRow[]>();
  for (const r of rows) {
    const key = groupBy === 'month' ? r.month : r.group;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const report = {
    groupBy,
    groups: [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([g, list]) => summarise(g, list, now)),
    total: summarise('*', totalRows, now),
  };
  if (options.includesRestricted === false) {
    // Without the restricted cases the downgrade figures would count only those lifted (a share of 1), and even
    // their counts say something about restricted cases: they are for readers of restricted cases only.
    for (const g of [...report.groups, report.total]) delete g.downgraded;
  }
  return report;
}
