// The backoff chart and table must follow the implementation: the committed SVG is what the
// generator draws, and the generator's caps are the core's `jitter: 'none'` delays.
import { readFileSync } from 'node:fs';
import { backoffDelay } from '@lifeline/core';
import { describe, expect, it } from 'vitest';
import { cap, chartFile, policy, renderBackoffChart } from '../tools/backoff-chart';

describe('backoff chart', () => {
  it('is up to date (regenerate: npx tsx docs/tools/backoff-chart.ts)', () => {
    expect(readFileSync(chartFile, 'utf8')).toBe(renderBackoffChart());
  });

  it("draws the core's delays", () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const none = backoffDelay(attempt, { ...policy, jitter: 'none' });
      expect(cap(attempt)).toBe(none);
      // 'full' spans [0, cap] and 'equal' [cap/2, cap], as the chart's bands show.
      expect(backoffDelay(attempt, { ...policy, jitter: 'full' }, () => 0)).toBe(0);
      expect(backoffDelay(attempt, { ...policy, jitter: 'full' }, () => 1)).toBe(none);
      expect(backoffDelay(attempt, { ...policy, jitter: 'equal' }, () => 0)).toBe(none / 2);
    }
  });

  it('uses the default policy, and the page table lists its caps', () => {
    expect(policy).toEqual({ initialDelay: 1000, factor: 2, maxDelay: 30_000 });
    const page = readFileSync(new URL('../concepts/backoff.md', import.meta.url), 'utf8').replace(
      / {2,}/g,
      ' ',
    ); // biome pads table cells
    const row = page.split('\n').find((line) => line.startsWith('| cap |'));
    const seconds = [1, 2, 3, 4, 5, 6].map((n) => `${cap(n) / 1000} s`);
    expect(row).toBe(`| cap | ${seconds.join(' | ')} |`);
  });
});
