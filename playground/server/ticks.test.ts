import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTicks, TICKS_STREAM } from './ticks';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('startTicks', () => {
  it('publishes tick { n, at } to `ticks` every interval, and stops without a timer left', () => {
    const publish = vi.fn(() => Promise.resolve({ epoch: 'e', seq: '1' }));
    const stop = startTicks(publish, 100, () => {});
    vi.advanceTimersByTime(350);
    expect(publish.mock.calls).toEqual([
      [TICKS_STREAM, 'tick', { n: 1, at: 1_100 }],
      [TICKS_STREAM, 'tick', { n: 2, at: 1_200 }],
      [TICKS_STREAM, 'tick', { n: 3, at: 1_300 }],
    ]);
    stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(publish).toHaveBeenCalledTimes(3);
  });

  it('logs a run of failed publishes once, and again after a success', async () => {
    let fail = true;
    const publish = vi.fn(() =>
      fail ? Promise.reject(new Error('store down')) : Promise.resolve(),
    );
    const lines: string[] = [];
    const stop = startTicks(publish, 10, (line) => lines.push(line));
    await vi.advanceTimersByTimeAsync(50);
    expect(lines).toEqual(['ticks: publish failed: store down']);
    fail = false;
    await vi.advanceTimersByTimeAsync(10);
    fail = true;
    await vi.advanceTimersByTimeAsync(30);
    expect(lines).toHaveLength(2);
    stop();
  });
});
