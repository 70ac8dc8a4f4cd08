/**
 * Duration histograms with logarithmic buckets, kept as plain counters so DynamoDB can add to them atomically
 * (`ADD h_close_c_57 :one`) and a report can merge any number of them by adding.
 *
 * Bucket `b` holds durations in [1 s × 2^(b/8), 1 s × 2^((b+1)/8)): eight buckets per doubling, so a bucket's
 * geometric midpoint is within 2^(1/16) − 1 ≈ 4.4 % of any duration in it, and a percentile read from the
 * histogram is within that of the exact nearest-rank percentile. Durations under one second share bucket −1
 * (read as 0). One year spans about 200 buckets.
 */

export const BUCKETS_PER_DOUBLING = 8;
const BASE_MS = 1000;

/** The bucket of a duration in milliseconds. */
export function bucketOf(ms: number): number {
  if (!(ms >= BASE_MS)) return -1;
  return Math.floor(BUCKETS_PER_DOUBLING * Math.log2(ms / BASE_MS));
}

/** The value a bucket stands for: its geometric midpoint (0 for the sub-second bucket). */
export function bucketValue(bucket: number): number {
  if (bucket < 0) return 0;
  return BASE_MS * 2 ** ((bucket + 0.5) / BUCKETS_PER_DOUBLING);
}

/** Largest relative error of a bucket's value against any duration in it. */
export const MAX_RELATIVE_ERROR = 2 ** (1 / (2 * BUCKETS_PER_DOUBLING)) - 1;

export type Histogram = Map<number, number>;

/** Adds `other` into `into`. */
export function mergeInto(into: Histogram, other: Histogram): Histogram {
  for (const [b, n] of other) into.set(b, (into.get(b) ?? 0) + n);
  return into;
}

export function histogramOf(values: readonly number[]): Histogram {
  const h: Histogram = new Map();
  for (const v of values) {
    const b = bucketOf(v);
    h.set(b, (h.get(b) ?? 0) + 1);
  }
  return h;
}

export const countOf = (h: Histogram): number => [...h.values()].reduce((a, n) => a + Math.max(0, n), 0);

/**
 * The nearest-rank `p`-th percentile (0 < p ≤ 100) read from a histogram, or undefined when it is empty: the
 * value of the bucket holding the ⌈p/100 × n⌉-th smallest duration.
 */
export function percentileOf(h: Histogram, p: number): number | undefined {
  const n = countOf(h);
  if (n === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  let seen = 0;
  for (const b of [...h.keys()].sort((x, y) => x - y)) {
    seen += Math.max(0, h.get(b) ?? 0);
    if (seen >= rank) return bucketValue(b);
  }
  return undefined;
}
