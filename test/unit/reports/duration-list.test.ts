import { describe, expect, it } from 'vitest';
import {
  changeDurations,
  decodeDurations,
  encodeDurations,
  mergeSorted,
  percentile,
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
    expect(mergeSorted([[3, 9], [], [1, 4, 10]])).toEqual([1, 3, 4, 9, 10]);
  });
});
