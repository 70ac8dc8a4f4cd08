/**
 * The time-to-close report, read from the aggregates (never from the cases): per group, how many cases were
 * received in the period, how long each step took (median and 90th percentile, calendar and working time),
 * the share resolved within the SLA, the share closed with the loop closed, the backlog by age, and the share
 * of automatic classifications that officers changed.
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
  backlog: { open: number; byAge: Record<string, number> };
}

const STEP_NAMES: Record<Step, keyof ReportGroup['steps']> = {
  ack: 'acknowledge',
  act: 'firstAction',
  res: 'resolve',
  close: 'close',
};

/** Sums rows into one group's report. */
export function summarise(group: string, rows: readonly AggregateRow[], now: Date): ReportGroup {
  const c: Record<string, number> = {};
  for (const r of rows) for (const [k, v] of Object.entries(r.counters)) c[k] = (c[k] ?? 0) + v;
  const hist = (step: Step, clock: 'c' | 'w'): Histogram => {
    const h: Histogram = new Map();
    const prefix = `h_${step}_${clock}_`;
    for (const [k, v] of Object.entries(c))
      if (k.startsWith(prefix) && v > 0) h.set(Number(k.slice(prefix.length)), v);
    return h;
  };
  const steps = Object.fromEntries(
    (Object.keys(STEP_NAMES) as Step[]).map((s) => [
      STEP_NAMES[s],
      { calendar: figure(hist(s, 'c')), working: figure(hist(s, 'w')) },
    ]),
  ) as ReportGroup['steps'];
  const byAge: Record<string, number> = Object.fromEntries(AGE_BANDS.map((b) => [b.label, 0]));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (const [k, v] of Object.entries(c)) {
    if (!k.startsWith('od_') || v <= 0) continue;
    const days = Math.max(0, Math.floor((today - Date.parse(`${k.slice(3)}T00:00:00Z`)) / 86_400_000));
    const band = AGE_BANDS.find((b) => days <= b.maxDays) ?? AGE_BANDS[5];
    byAge[band.label] = (byAge[band.label] ?? 0) + v;
  }
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
) {
  const groups = new Map<string, AggregateRow[]>();
  for (const r of rows) {
    const key = groupBy === 'month' ? r.month : r.group;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  return {
    groupBy,
    groups: [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([g, list]) => summarise(g, list, now)),
    total: summarise('*', totalRows, now),
  };
}
