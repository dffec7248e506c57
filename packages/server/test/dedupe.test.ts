// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ReplyCache } from '../src/dedupe';

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ReplyCache', () => {
  it('runs an id once and hands a repeat the remembered reply', async () => {
    const time = clock();
    const cache = new ReplyCache(1000, time.now);
    let runs = 0;
    const execute = async () => `reply ${++runs}`;
    const first = cache.run('a', execute);
    expect(first.shared).toBe(false);
    expect(await first.reply).toBe('reply 1');
    const second = cache.run('a', execute);
    expect(second.shared).toBe(true);
    expect(await second.reply).toBe('reply 1');
    expect(runs).toBe(1);
  });

  it('shares the execution that is still running with a repeat', async () => {
    const cache = new ReplyCache(1000);
    let release!: (text: string) => void;
    let runs = 0;
    const execute = () => {
      runs++;
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    };
    const first = cache.run('a', execute);
    const second = cache.run('a', execute);
    expect(second.shared).toBe(true);
    expect(runs).toBe(1);
    release('done');
    expect(await Promise.all([first.reply, second.reply])).toEqual(['done', 'done']);
  });

  it('forgets a reply dedupeWindow ms after it finished, not after it started', async () => {
    const time = clock();
    const cache = new ReplyCache(1000, time.now);
    let release!: (text: string) => void;
    const slow = cache.run('a', () => new Promise<string>((resolve) => (release = resolve)));
    time.advance(5000); // running longer than the window: still shared
    expect(cache.run('a', async () => 'other').shared).toBe(true);
    release('first');
    await slow.reply;
    time.advance(999);
    expect(await cache.run('a', async () => 'other').reply).toBe('first');
    time.advance(1);
    const again = cache.run('a', async () => 'second');
    expect(again.shared).toBe(false);
    expect(await again.reply).toBe('second');
  });

  it('drops expired entries as it goes, so memory follows the window', async () => {
    const time = clock();
    const cache = new ReplyCache(100, time.now);
    for (let i = 0; i < 50; i++) await cache.run(`id${i}`, async () => 'x').reply;
    expect(cache.size).toBe(50);
    time.advance(100);
    await cache.run('fresh', async () => 'y').reply;
    expect(cache.size).toBe(1);
  });

  it('with a window of 0 shares only running executions', async () => {
    const cache = new ReplyCache(0);
    let runs = 0;
    await cache.run('a', async () => `r${++runs}`).reply;
    expect(await cache.run('a', async () => `r${++runs}`).reply).toBe('r2');
    expect(cache.size).toBe(0);
  });

  it('keeps nothing after close(), even what finishes later', async () => {
    const cache = new ReplyCache(1000);
    let release!: (text: string) => void;
    const pending = cache.run('a', () => new Promise<string>((resolve) => (release = resolve)));
    await cache.run('b', async () => 'b').reply;
    cache.close();
    expect(cache.size).toBe(0);
    release('late');
    await pending.reply;
    expect(cache.size).toBe(0);
    await cache.run('c', async () => 'c').reply;
    expect(cache.size).toBe(0);
  });

  it('does not remember an execution that rejected', async () => {
    const cache = new ReplyCache(1000);
    await expect(
      cache.run('a', async () => Promise.reject(new Error('x'))).reply,
    ).rejects.toThrow();
    expect(cache.size).toBe(0);
  });
});
