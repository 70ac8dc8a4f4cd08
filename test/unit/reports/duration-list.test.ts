import { describe, expect, it } from 'vitest';
import {
  changeDurations,
  decodeDurations,
  encodeDurations,
  mergeSorted,
  percentile,
  percentileUnsorted,
  toSeconds,
} from '#shared/reports/duration-list.ts';

describe('exact duration lists', () => {
  it('keep sorted seconds as base-36 gaps and read them back unchanged', () => {
    const values = [0, 59, 3600, 3600, 86_400, 1_209_600, 31_536_000];
    const text = encodeDurations(values);
    expect(text).toBe('0.1n.2qd.0.1rw0.o2o0.i2000');
    expect(decodeDurations(text)).toEqual(values);
    expect(decodeDurations(encodeDurations([]))).toEqual([]);
  });

  it('take one occurrence out and put values in at their place', () => {
    expect(changeDurations([10, 20, 20, 30], [20], [25, 5])).toEqual([5, 10, 20, 25, 30]);
    // A value that is not there is left alone rather than taking out a neighbour.
    expect(changeDurations([10, 30], [20], [])).toEqual([10, 30]);
  });

  it('keep whole seconds, never negative', () => {
    expect(toSeconds(1499)).toBe(1);
    expect(toSeconds(1500)).toBe(2);
    expect(toSeconds(-5)).toBe(0);
  });

  it('give the median and 90th percentile a spreadsheet gives (PERCENTILE.INC)', () => {
    // =MEDIAN(24,48,72) is 48; =PERCENTILE.INC({24,48,72},0.9) is 67.2.
    expect(percentile([24, 48, 72], 50)).toBe(48);
    expect(percentile([24, 48, 72], 90)).toBeCloseTo(67.2, 10);
    // An even count: the median is halfway between the middle two.
    expect(percentile([1, 2, 3, 10], 50)).toBe(2.5);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('merge the lists of several months into one sorted list', () => {
    expect(Array.from(mergeSorted([[3, 9], [], [1, 4, 10]]))).toEqual([1, 3, 4, 9, 10]);
  });

  it('give the same percentiles from unsorted runs without sorting them all', () => {
    // Runs of sorted lists, as a period's days are, with repeats; checked against a plain sort of the same values.
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (const size of [1, 2, 3, 10, 101, 2000]) {
      const runs = Array.from({ length: 1 + (size % 7) }, () =>
        Array.from({ length: Math.ceil(size / (1 + (size % 7))) }, () => next() % 500).sort((a, b) => a - b),
      );
      const plain = runs.flat().sort((a, b) => a - b);
      for (const p of [0, 50, 90, 100]) {
        const rank = (p / 100) * (plain.length - 1);
        const lo = plain[Math.floor(rank)] as number;
        const hi = plain[Math.ceil(rank)] as number;
        const want = lo + (hi - lo) * (rank - Math.floor(rank));
        expect(percentileUnsorted(Float64Array.from(runs.flat()), p), `${size} ${p}`).toBeCloseTo(want, 9);
      }
    }
    expect(percentileUnsorted(new Float64Array(0), 50)).toBeUndefined();
  });
});
