/**
 * Exact durations, kept so that a report's median and 90th percentile are the true ones over the period rather
 * than a bucket's midpoint.
 *
 * A list is every duration of a group, in whole seconds, sorted, stored as one string: the first value and then
 * the gaps between neighbours, each in base 36, separated by dots (`"1uo0.2s0.0.1r2o"`). Sorted gaps are short
 * (about four characters a case), so a month of a busy programme fits in one item and a year's report reads a few
 * tens of kilobytes. Seconds, not milliseconds: a report shows hours to one decimal and the CSV export hours to two.
 */

/** A duration in milliseconds as it is kept: whole seconds, never negative. */
export const toSeconds = (ms: number): number => Math.max(0, Math.round(ms / 1000));

export function encodeDurations(sorted: readonly number[]): string {
  let out = '';
  let previous = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as number;
    out += (i ? '.' : '') + (v - previous).toString(36);
    previous = v;
  }
  return out;
}

export function decodeDurations(text: string): number[] {
  const out: number[] = [];
  if (!text) return out;
  // A hand-rolled scan: a year's report decodes tens of thousands of values, and split + parseInt costs several
  // times as much.
  let value = 0;
  let gap = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      value += gap;
      out.push(value);
      gap = 0;
    } else {
      gap = gap * 36 + (code <= 57 ? code - 48 : code - 87);
    }
  }
  out.push(value + gap);
  return out;
}

/** Adds and removes values (one occurrence each) in a sorted list; a value to remove that is not there is skipped. */
export function changeDurations(
  sorted: readonly number[],
  remove: readonly number[],
  add: readonly number[],
): number[] {
  const out = [...sorted];
  for (const v of remove) {
    const i = lowerBound(out, v);
    if (out[i] === v) out.splice(i, 1);
  }
  for (const v of add) out.splice(lowerBound(out, v), 0, v);
  return out;
}

function lowerBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The `p`-th percentile (0 ≤ p ≤ 100) of sorted values, interpolated between the two nearest ranks: the figure a
 * spreadsheet's MEDIAN and PERCENTILE.INC give over the same values, so a manager can check the dashboard against
 * the CSV export. Undefined for an empty list.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

/** The lists one after another in one typed array (unsorted as a whole). */
export function concatenate(lists: readonly ArrayLike<number>[]): Float64Array {
  let n = 0;
  for (const l of lists) n += l.length;
  const all = new Float64Array(n);
  let at = 0;
  for (const l of lists) {
    all.set(l, at);
    at += l.length;
  }
  return all;
}

/** Merges sorted lists into one sorted array (a typed array sorts numbers natively, without a comparator). */
export const mergeSorted = (lists: readonly ArrayLike<number>[]): Float64Array => concatenate(lists).sort();

/**
 * Rearranges `a` so that `a[k]` is the value a full sort would put there, everything before it no larger and
 * everything after no smaller (Hoare's selection, random pivots: the input is runs of sorted lists).
 */
function select(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[lo + Math.floor(Math.random() * (hi - lo + 1))] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * The same figure as {@link percentile}, from values in any order, without sorting them all: a year's report
 * needs four ranks of tens of thousands of values per group. `values` is reordered.
 */
export function percentileUnsorted(values: Float64Array, p: number): number | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  select(values, lo);
  const a = values[lo] as number;
  if (rank === lo) return a;
  // The next rank is the smallest value after the selected one.
  let b = Number.POSITIVE_INFINITY;
  for (let i = lo + 1; i < n; i++) if ((values[i] as number) < b) b = values[i] as number;
  return a + (b - a) * (rank - lo);
}
