// 1,000 create → connect → dispose cycles against a real server, in Node and in Chromium:
// no timer, listener or heap is left behind. Timers and listeners are counted by wrapping
// the globals for the duration of the test.
import { fileURLToPath } from 'node:url';
import { Socket } from '@lifeline/core';
import { describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { chaosSuite } from '../support/chaos-suite';
import { envelopeHandler } from '../support/envelope-handler';
import { GuardedWebSocket } from '../support/guarded-ws';
import { waitUntil } from '../support/wait';
import { startTestServer } from '../support/ws-server';

const CYCLES = 1000;
const IIFE = fileURLToPath(
  new URL('../../packages/core/dist/lifeline.iife.min.js', import.meta.url),
);
const reconnect = { initialDelay: 20, maxDelay: 300 };
const { report, cleanup } = chaosSuite(import.meta.url, { checkUnhandled: true });

/** Wraps the timer globals; counts live handles, split by whether Lifeline created them. */
function trackTimers() {
  const real = { setTimeout, setInterval, clearTimeout, clearInterval };
  const live = new Map<unknown, boolean>(); // handle → created by Lifeline's source
  // The first stack frame outside this file is the code that asked for the timer.
  const fromLifeline = () => {
    const caller = (new Error().stack ?? '')
      .split('\n')
      .slice(1)
      .find((f) => !f.includes('lifecycle.chaos'));
    return /packages[\\/]core[\\/]src/.test(caller ?? '');
  };
  const g = globalThis as Record<string, unknown>;
  let peak = 0; // proves the wrapper sees Lifeline's timers at all
  const note = (handle: unknown) => {
    live.set(handle, fromLifeline());
    if (live.get(handle)) peak = Math.max(peak, [...live.values()].filter(Boolean).length);
  };
  g.setTimeout = (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle = real.setTimeout(() => {
      live.delete(handle);
      fn(...args);
    }, ms);
    note(handle);
    return handle;
  };
  g.setInterval = (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle = real.setInterval(fn, ms, ...args);
    note(handle);
    return handle;
  };
  g.clearTimeout = (handle: ReturnType<typeof setTimeout>) => {
    live.delete(handle);
    real.clearTimeout(handle);
  };
  g.clearInterval = (handle: ReturnType<typeof setInterval>) => {
    live.delete(handle);
    real.clearInterval(handle);
  };
  cleanup.push(() => Object.assign(globalThis, real));
  return {
    lifeline: () => [...live.values()].filter(Boolean).length,
    all: () => live.size,
    peak: () => peak,
  };
}

describe('create → connect → dispose, 1,000 times', () => {
  it('leaves 0 timers and 0 listeners in Node', async () => {
    const server = await startTestServer({ onConnection: envelopeHandler() });
    cleanup.push(() => server.close());
    const instances: GuardedWebSocket[] = [];
    class Tracked extends GuardedWebSocket {
      constructor(...args: ConstructorParameters<typeof GuardedWebSocket>) {
        super(...args);
        instances.push(this);
      }
    }
    const timers = trackTimers();
    let timerLeaks = 0;
    let listenerLeaks = 0;
    let rejected = 0;
    for (let i = 0; i < CYCLES; i++) {
      const socket = new Socket(server.url('/'), {
        WebSocket: Tracked as never,
        reconnect,
        heartbeat: i % 2 ? { interval: 1000, timeout: 500 } : false,
      });
      socket.on('status', () => {});
      socket.onMessage('*', () => {});
      socket.addEventListener('message', () => {});
      const variant = i % 4;
      if (variant > 0) await waitUntil(() => socket.status === 'open', 5000, `open #${i}`, 1);
      if (variant === 2) socket.request('slow', {}).catch(() => rejected++);
      if (variant === 3) socket.reconnect();
      socket.dispose();
      timerLeaks += timers.lifeline();
      listenerLeaks += socket.eventNames().length;
    }
    // Closing handshakes finish and `ws` clears its own close timers too.
    await waitUntil(
      () => server.clients.size === 0 && timers.all() === 0,
      10_000,
      'all closed',
      20,
    );
    await new Promise((resolve) => setImmediate(resolve));
    // Abandoned transports keep a no-op `error` handler until they have really closed (a `ws`
    // closed while connecting emits `error`); once closed, none may hold a listener.
    for (const ws of instances)
      listenerLeaks += ['open', 'message', 'error', 'close'].reduce(
        (n, e) => n + ws.listenerCount(e),
        0,
      );
    report.add({
      scenario: 'lifecycle ×1,000 (Node)',
      faults: `${CYCLES} dispose (connecting / open / request pending / mid-reconnect)`,
      sent: CYCLES / 4,
      received: 0,
      lost: 0,
      duplicated: 0,
      notes: `${timerLeaks} Lifeline timers and ${listenerLeaks} listeners left after dispose; ${rejected} pending requests rejected`,
    });
    expect(timerLeaks).toBe(0);
    expect(listenerLeaks).toBe(0);
    expect(rejected).toBe(CYCLES / 4);
    expect(timers.all()).toBe(0);
    expect(timers.peak()).toBeGreaterThan(0);
  });

  it('returns to the baseline heap in Chromium (IIFE build), with 0 timers and 0 listeners', async () => {
    const server = await startTestServer({ onConnection: envelopeHandler() });
    cleanup.push(() => server.close());
    const browser = await launchChromium();
    cleanup.push(() => browser.close());
    const page = await browser.context.newPage();
    await page.setContent('<!doctype html><title>lifecycle</title>');
    await page.evaluate(() => {
      // Count live timers and DOM listeners that the Lifeline bundle creates (the page also
      // hosts Playwright's own listeners, which are not ours to count).
      const fromLifeline = () => (new Error().stack ?? '').includes('lifeline.iife');
      const w = window as unknown as Record<string, unknown>;
      const timers = new Set<number>();
      const listeners = new Set<string>();
      const ids = new WeakMap<object, number>();
      let next = 0;
      // High-water marks prove the instrumentation sees Lifeline's timers and listeners at all.
      const peak = { timers: 0, listeners: 0 };
      const mark = () => {
        peak.timers = Math.max(peak.timers, timers.size);
        peak.listeners = Math.max(peak.listeners, listeners.size);
      };
      const key = (target: string, type: string, fn: object) => {
        if (!ids.has(fn)) ids.set(fn, ++next);
        return `${target}:${type}:${ids.get(fn)}`;
      };
      const st = window.setTimeout.bind(window);
      const si = window.setInterval.bind(window);
      const ct = window.clearTimeout.bind(window);
      const ci = window.clearInterval.bind(window);
      w.setTimeout = (fn: () => void, ms?: number) => {
        const id = st(() => {
          timers.delete(id);
          fn();
        }, ms);
        if (fromLifeline()) timers.add(id);
        mark();
        return id;
      };
      w.setInterval = (fn: () => void, ms?: number) => {
        const id = si(fn, ms);
        if (fromLifeline()) timers.add(id);
        return id;
      };
      w.clearTimeout = (id: number) => {
        timers.delete(id);
        ct(id);
      };
      w.clearInterval = (id: number) => {
        timers.delete(id);
        ci(id);
      };
      for (const [name, target] of [
        ['window', window],
        ['document', document],
      ] as const) {
        const add = target.addEventListener.bind(target);
        const remove = target.removeEventListener.bind(target);
        target.addEventListener = (
          type: string,
          fn: EventListenerOrEventListenerObject,
          o?: unknown,
        ) => {
          if (fromLifeline()) listeners.add(key(name, type, fn));
          mark();
          add(type, fn, o as boolean);
        };
        target.removeEventListener = (
          type: string,
          fn: EventListenerOrEventListenerObject,
          o?: unknown,
        ) => {
          listeners.delete(key(name, type, fn));
          remove(type, fn, o as boolean);
        };
      }
      w.__live = () => ({ timers: timers.size, listeners: [...listeners], peak });
    });
    await page.addScriptTag({ path: IIFE });
    await page.evaluate((url) => {
      const w = window as unknown as Record<string, unknown>;
      const { Socket } = w.Lifeline as typeof import('@lifeline/core');
      w.__cycles = async (count: number) => {
        for (let i = 0; i < count; i++) {
          const socket = new Socket(url, {
            reconnect: { initialDelay: 20, maxDelay: 300 },
            heartbeat: i % 2 ? { interval: 1000, timeout: 500 } : false,
          });
          socket.onMessage('*', () => {});
          socket.on('status', () => {});
          if (i % 4 > 0)
            await new Promise<void>((resolve, reject) => {
              const timer = setTimeout(() => reject(new Error(`no open #${i}`)), 5000);
              socket.once('open', () => {
                clearTimeout(timer);
                resolve();
              });
            });
          if (i % 4 === 2) socket.request('slow', {}).catch(() => {});
          socket.dispose();
        }
      };
    }, server.url('/'));
    const cdp = await browser.context.newCDPSession(page);
    const heap = async () => {
      for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    await page.evaluate(() =>
      (window as unknown as { __cycles: (n: number) => Promise<void> }).__cycles(100),
    );
    await waitUntil(() => server.clients.size === 0, 10_000, 'warm-up closed', 20);
    const baseline = await heap();
    await page.evaluate(
      (n) => (window as unknown as { __cycles: (n: number) => Promise<void> }).__cycles(n),
      CYCLES,
    );
    await waitUntil(() => server.clients.size === 0, 10_000, 'all closed', 20);
    type Live = {
      timers: number;
      listeners: string[];
      peak: { timers: number; listeners: number };
    };
    const { peak, ...live } = await page.evaluate(() =>
      (window as unknown as { __live: () => Live }).__live(),
    );
    const after = await heap();
    const kb = (bytes: number) => Math.round(bytes / 1024);
    report.add({
      scenario: 'lifecycle ×1,000 (Chromium, IIFE)',
      faults: `${CYCLES} dispose`,
      sent: CYCLES / 4,
      received: 0,
      lost: 0,
      duplicated: 0,
      notes: `heap ${kb(baseline)} → ${kb(after)} KB after GC; ${live.timers} timers, ${live.listeners.length} listeners left ${live.listeners.slice(0, 4).join(' ')}`,
    });
    expect(live).toEqual({ timers: 0, listeners: [] });
    expect(peak.timers).toBeGreaterThan(0);
    expect(peak.listeners).toBeGreaterThan(0);
    // One leaked socket per cycle would be megabytes; allow noise well below that.
    expect(after - baseline).toBeLessThan(256 * 1024);
  });
});
