// Streams (DESIGN §8) in real Chromium with the script-tag build against the real
// @lifeline/server: a replay burst of 1,000 messages, published while the page was away, is
// delivered completely and in order without a long task (> 50 ms) on the main thread.
import type * as Core from '@lifeline/core';
import { createServer, type LifelineServer } from '@lifeline/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaosReport } from '../../../test/support/chaos-report';
import { type IifePage, openIifePage } from '../../../test/support/iife-page';

interface PageGlobals {
  Lifeline: typeof Core;
  socket: Core.Socket;
  sub: Core.Subscription;
  got: string[];
  /** performance.now() of each delivery. */
  at: number[];
  resyncs: number;
  until(predicate: () => boolean, ms: number, what: string): Promise<void>;
}

const BURST = 1000;
const LIVE = 5;
const report = chaosReport(import.meta.url);
let opened: IifePage;
let page: Page;
let server: LifelineServer;

beforeAll(async () => {
  opened = await openIifePage();
  page = opened.page;
  // The page comes from another port than the server: allow its origin.
  server = createServer({ port: 0, allowOrigins: [opened.origin] });
  await server.ready();
});

afterAll(async () => {
  await page?.evaluate(() => (window as unknown as PageGlobals).socket?.dispose()).catch(() => {});
  await server?.close();
  await opened?.close();
  report.flush();
});

async function publish(count: number): Promise<void> {
  for (let i = 0; i < count; i++)
    await server.publish('burst', 'tick', { i, text: `message ${i} of the burst` });
}

/** In the page: connect() and wait for `total` messages, watching for long tasks. */
function replay(total: number) {
  return page.evaluate(async (total) => {
    const w = window as unknown as PageGlobals;
    const longTasks: Array<{ start: number; duration: number }> = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        longTasks.push({ start: entry.startTime, duration: entry.duration });
    });
    observer.observe({ type: 'longtask' });
    // A second view of responsiveness: the longest wait of a task queued behind the replay.
    let maxGap = 0;
    let last = performance.now();
    let probing = true;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      if (probing) channel.port2.postMessage(0);
    };
    channel.port2.postMessage(0);

    const from = w.got.length;
    const connectAt = performance.now();
    w.socket.connect();
    await w.until(() => w.got.length >= total, 20_000, `${total} messages`);
    const doneAt = performance.now();
    probing = false;
    channel.port1.close();
    // Long tasks are reported after they end: give the observer a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    observer.disconnect();
    return {
      seqs: w.got,
      resyncs: w.resyncs,
      status: w.sub.status,
      during: longTasks.filter((t) => t.start + t.duration >= connectAt && t.start <= doneAt),
      maxGap,
      firstReplayAt: w.at[from]! - connectAt,
      replayMs: doneAt - connectAt,
      deliveryMs: w.at[total - 1]! - w.at[from]!,
    };
  }, total);
}

/** In the page: the observer works, a deliberate 80 ms task is reported (its duration). */
async function deliberateLongTask(): Promise<number> {
  const durations: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) durations.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  // Not in the task that registered the observer: that one is not reported to it.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const busyUntil = performance.now() + 80;
  while (performance.now() < busyUntil) {
    // busy on purpose
  }
  await (window as unknown as PageGlobals).until(
    () => durations.length > 0,
    2000,
    'the deliberate long task',
  );
  observer.disconnect();
  return Math.max(...durations);
}

describe('stream replay in Chromium', () => {
  it('a 1,000-message replay arrives complete and in order, with no main-thread task over 50 ms', async () => {
    await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      w.until = async (predicate, ms, what) => {
        const end = performance.now() + ms;
        while (!predicate()) {
          if (performance.now() > end) throw new Error(`timed out after ${ms} ms: ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };
      w.got = [];
      w.at = [];
      w.resyncs = 0;
      w.socket = new w.Lifeline.Socket(url, { reconnect: { initialDelay: 20, maxDelay: 100 } });
      w.sub = w.socket.subscribe('burst', (_data, message) => {
        w.got.push(message.seq);
        w.at.push(performance.now());
      });
      w.sub.on('resync', () => w.resyncs++);
      await w.until(() => w.sub.status === 'live', 10_000, 'the subscription live');
    }, `ws://127.0.0.1:${server.port}/ws`);
    await publish(LIVE);
    await page.evaluate(async (n) => {
      const w = window as unknown as PageGlobals;
      await w.until(() => w.got.length === n, 10_000, `${n} live messages`);
    }, LIVE);

    // A long task can also be the OS descheduling Chromium on a loaded machine; a regression
    // (the replay handled in a few big tasks) shows in every attempt, so up to 3 are made.
    const attempts: Awaited<ReturnType<typeof replay>>[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await page.evaluate(async () => {
        const w = window as unknown as PageGlobals;
        w.socket.close();
        await w.until(() => w.socket.status === 'closed', 10_000, 'closed');
      });
      await publish(BURST); // while the page is away: all of it comes back as a replay
      const result = await replay(LIVE + attempt * BURST);
      attempts.push(result);
      if (result.during.length === 0) break;
    }
    const result = attempts.at(-1)!;
    const deliberate = await page.evaluate(deliberateLongTask);

    const replayed = result.seqs.slice(-BURST);
    const unique = new Set(replayed);
    const maxTask = (a: (typeof attempts)[number]) =>
      Math.round(Math.max(0, ...a.during.map((t) => t.duration)));
    const throughput = Math.round(BURST / (result.deliveryMs / 1000));
    report.add({
      scenario: 'streams: 1,000-message replay in Chromium (IIFE)',
      faults: 'close() while 1,000 are published, then connect()',
      sent: BURST,
      received: replayed.length,
      lost: BURST - unique.size,
      duplicated: replayed.length - unique.size,
      notes: `attempts ${attempts.length}, long tasks per attempt: ${attempts.map((a) => `${a.during.length} (max ${maxTask(a)} ms)`).join(', ')}; longest main-thread gap ${Math.round(result.maxGap)} ms; first replayed message ${Math.round(result.firstReplayAt)} ms after connect(), all in ${Math.round(result.replayMs)} ms; ${throughput} msg/s delivered to the app`,
    });
    console.log(
      `replay: ${throughput} msg/s (${Math.round(result.deliveryMs)} ms for ${BURST}), ${Math.round(result.replayMs)} ms from connect(); long tasks ${JSON.stringify(attempts.map((a) => a.during))}; longest main-thread gap ${result.maxGap.toFixed(1)} ms; deliberate task ${deliberate.toFixed(0)} ms`,
    );
    for (const [i, { seqs }] of attempts.entries()) {
      const expected = Array.from({ length: LIVE + (i + 1) * BURST }, (_, k) => String(k + 1));
      expect(seqs, `attempt ${i + 1}: every message once, in order`).toEqual(expected);
    }
    expect(result.resyncs).toBe(0);
    expect(result.status).toBe('live');
    expect(result.during, 'long tasks (> 50 ms) during the replay').toEqual([]);
    expect(deliberate, 'the observer saw a deliberate 80 ms task').toBeGreaterThanOrEqual(80);
    expect(opened.pageErrors).toEqual([]);
  });
});
