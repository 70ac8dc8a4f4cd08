import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  bucketValue,
  histogramOf,
  MAX_RELATIVE_ERROR,
  mergeInto,
  percentileOf,
} from '#shared/reports/histogram.ts';

/** The bucket error bound, with room for floating-point rounding at a bucket's exact edge. */
const TOLERANCE = MAX_RELATIVE_ERROR + 1e-9;

/** Nearest-rank percentile of the raw values, the figure the histogram approximates. */
const exact = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};

/** A fixed, spread-out sample: durations from 30 s to about 60 days (a linear congruential sequence, no clock). */
function sample(n: number, seed: number): number[] {
  const out: number[] = [];
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out.push(Math.round(30_000 * 2 ** ((x / 2 ** 31) * 17.5)));
  }
  return out;
}

describe('log-bucket duration histograms', () => {
  it('put each duration in a bucket whose value is within 4.5 % of it', () => {
    expect(MAX_RELATIVE_ERROR).toBeLessThan(0.045);
    for (const ms of [1000, 1001, 59_999, 3_600_000, 86_400_000, 7 * 86_400_000, 365 * 86_400_000]) {
      const v = bucketValue(bucketOf(ms));
      expect(Math.abs(v - ms) / ms).toBeLessThanOrEqual(TOLERANCE);
    }
    expect(bucketOf(0)).toBe(-1);
    expect(bucketValue(-1)).toBe(0);
  });

  it('read medians and 90th percentiles within the bucket error of the exact figures', () => {
    for (const seed of [1, 7, 42, 2026]) {
      const values = sample(5000, seed);
      const h = histogramOf(values);
      for (const p of [50, 90, 99]) {
        const approx = percentileOf(h, p) as number;
        const truth = exact(values, p);
        expect(Math.abs(approx - truth) / truth).toBeLessThanOrEqual(TOLERANCE);
      }
    }
  });

  it('merge by adding counts, so monthly histograms give the period’s percentiles', () => {
    const a = sample(1000, 3);
    const b = sample(1500, 5);
    const merged = mergeInto(histogramOf(a), histogramOf(b));
    const truth = exact([...a, ...b], 90);
    expect(Math.abs((percentileOf(merged, 90) as number) - truth) / truth).toBeLessThanOrEqual(TOLERANCE);
    expect(percentileOf(new Map(), 50)).toBeUndefined();
  });

  it('agrees with a hand count on a small sample', () => {
    // 1 h, 2 h, 3 h, 10 h: the median (2nd of 4) is 2 h and the 90th percentile (4th of 4) 10 h.
    const h = histogramOf([3_600_000, 7_200_000, 10_800_000, 36_000_000]);
    expect(Math.abs((percentileOf(h, 50) as number) - 7_200_000) / 7_200_000).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.abs((percentileOf(h, 90) as number) - 36_000_000) / 36_000_000).toBeLessThanOrEqual(
      TOLERANCE,
    );
  });
});
