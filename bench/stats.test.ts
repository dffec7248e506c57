import { describe, expect, it } from 'vitest';
import { QUICK, withOverrides } from './config';
import { table } from './report/table';
import { fmt, fmtRatio, median, percentile, ratio, undisturbedMean } from './stats';

describe('percentile', () => {
  it.each([
    [[5], 0.5, 5],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[10, 1, 7], 0.5, 7],
    [[0, 10], 0.1, 1],
    [[0, 10, 20, 30, 40], 0.9, 36],
    [[3, 1, 2], 0, 1],
    [[3, 1, 2], 1, 3],
  ])('of %j at %d is %d', (samples, p, expected) => {
    expect(percentile(samples, p)).toBeCloseTo(expected, 10);
  });

  it('does not reorder the caller’s samples', () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses empty samples and fractions outside [0, 1]', () => {
    expect(() => percentile([], 0.5)).toThrow(/no samples/);
    expect(() => percentile([1], 1.5)).toThrow(/\[0, 1\]/);
  });
});

describe('ratio and formatting', () => {
  it('gives no ratio without a usable base', () => {
    expect(ratio(2, 4)).toBe(0.5);
    expect(ratio(2, 0)).toBeNull();
    expect(ratio(null, 4)).toBeNull();
    expect(ratio(2, null)).toBeNull();
  });

  it('formats numbers, ratios and missing values', () => {
    expect(fmt(1234567.891, 1)).toBe('1,234,567.9');
    expect(fmt(null)).toBe('—');
    expect(fmt(Number.NaN)).toBe('—');
    expect(fmtRatio(1.234)).toBe('1.23×');
    expect(fmtRatio(null)).toBe('—');
  });
});

describe('undisturbedMean', () => {
  const step = 0.1;
  const sizes = (n: number) => Array.from({ length: n }, () => 1000);

  it('averages the readings of undisturbed chunks, undoing the clock’s rounding', () => {
    // Chunks of 1.44 ms read 1.4 or 1.5 on a 0.1 ms clock, 60 % and 40 % of the time.
    const durations = [1.4, 1.5, 1.4, 1.5, 1.4, 1.4, 1.5, 1.4, 1.5, 1.4];
    expect(undisturbedMean(durations, sizes(10), step)).toBeCloseTo(1.44 / 1000, 10);
  });

  it('gives the same figure whether few or most chunks were preempted', () => {
    const clean = [1.4, 1.5, 1.4, 1.5, 1.4];
    const fewDisturbed = [...clean, ...clean, 9.7];
    const mostDisturbed = [...clean, 3.1, 5.2, 2.4, 7.7, 4.0, 12.5, 2.9, 6.6, 3.3, 8.8];
    const expected = undisturbedMean(clean, sizes(5), step);
    expect(undisturbedMean(fewDisturbed, sizes(11), step)).toBeCloseTo(expected, 10);
    expect(undisturbedMean(mostDisturbed, sizes(15), step)).toBeCloseTo(expected, 10);
  });

  it('keeps chunks up to two steps above the fastest, and no further', () => {
    const durations = [1.0, 1.2, 1.3];
    expect(undisturbedMean(durations, sizes(3), step)).toBeCloseTo(1.1 / 1000, 10);
  });

  it('leaves out a last chunk of another size', () => {
    expect(undisturbedMean([2.0, 2.0, 0.5], [1000, 1000, 200], step)).toBeCloseTo(2 / 1000, 10);
  });

  it('refuses empty runs and mismatched sizes', () => {
    expect(() => undisturbedMean([], [], step)).toThrow(/one size per duration/);
    expect(() => undisturbedMean([1], [1, 2], step)).toThrow(/one size per duration/);
  });
});

describe('table', () => {
  it('pads columns and right-aligns those whose header starts with a space', () => {
    expect(
      table(
        ['name', ' n'],
        [
          ['a', '1'],
          ['long', '100'],
        ],
      ),
    ).toBe(['| name |   n |', '| ---- | --: |', '| a    |   1 |', '| long | 100 |'].join('\n'));
  });
});

describe('config overrides', () => {
  it('applies numeric flags and ignores unrelated ones', () => {
    const config = withOverrides(QUICK, ['--smallCount=123', '--quick', '--only=size']);
    expect(config.smallCount).toBe(123);
    expect(config.rounds).toBe(QUICK.rounds);
    expect(QUICK.smallCount).not.toBe(123);
  });

  it('rejects values that are not positive integers', () => {
    expect(() => withOverrides(QUICK, ['--rounds=0'])).toThrow(/positive integer/);
    expect(() => withOverrides(QUICK, ['--rounds=abc'])).toThrow(/positive integer/);
  });
});
