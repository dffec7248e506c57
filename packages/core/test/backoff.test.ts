import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/backoff';

const base = { initialDelay: 1000, maxDelay: 30000, factor: 2 };

describe('backoffDelay', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 16000],
    [6, 30000], // 32000 capped
    [50, 30000],
  ])('without jitter, attempt %i waits the cap %i ms', (attempt, expected) => {
    expect(backoffDelay(attempt, { ...base, jitter: 'none' })).toBe(expected);
  });

  it.each([
    [0, 0],
    [0.5, 2000],
    [0.999, 3996],
  ])('full jitter is uniform in [0, cap]: random %f → %f ms at attempt 3', (random, expected) => {
    expect(backoffDelay(3, { ...base, jitter: 'full' }, () => random)).toBeCloseTo(expected, 5);
  });

  it.each([
    [0, 2000],
    [0.5, 3000],
    [1, 4000],
  ])(
    'equal jitter is cap/2 + uniform in [0, cap/2]: random %f → %f ms at attempt 3',
    (random, expected) => {
      expect(backoffDelay(3, { ...base, jitter: 'equal' }, () => random)).toBe(expected);
    },
  );

  it('honours factor 1 (constant delay) and the maxDelay cap under jitter', () => {
    expect(backoffDelay(9, { ...base, factor: 1, jitter: 'none' })).toBe(1000);
    for (let attempt = 1; attempt < 40; attempt++) {
      expect(backoffDelay(attempt, { ...base, jitter: 'full' }, () => 1)).toBeLessThanOrEqual(
        30000,
      );
      expect(backoffDelay(attempt, { ...base, jitter: 'equal' }, () => 1)).toBeLessThanOrEqual(
        30000,
      );
    }
  });

  it('defaults to Math.random for full jitter', () => {
    const samples = Array.from({ length: 200 }, () => backoffDelay(2, { ...base, jitter: 'full' }));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThanOrEqual(2000);
    expect(new Set(samples).size).toBeGreaterThan(100); // really random, not a constant
  });
});
