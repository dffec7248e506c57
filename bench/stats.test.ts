import { describe, expect, it } from 'vitest';
import { QUICK, withOverrides } from './config';
import { table } from './report/table';
import { fmt, fmtRatio, median, percentile, ratio } from './stats';

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
