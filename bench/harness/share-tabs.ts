// The pages of the `share` benchmark (bench/suites/share.ts): a tab with a socket that records
// when it leads and opens and counts stream messages, and a page's main-thread time.
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import type { Tabs } from '../../packages/core/test/share-pages';

/** What a benchmark tab records, in its page. */
export interface BenchTab {
  Lifeline: typeof import('@lifeline/core');
  socket: import('@lifeline/core').Socket;
  sub?: import('@lifeline/core').Subscription;
  /** Epoch ms (high resolution) of each `role: leader` and each `open`. */
  leads: number[];
  opens: number[];
  got: number;
}

/** Epoch milliseconds with sub-millisecond resolution, comparable with the pages' clocks. */
export const epoch = () => performance.timeOrigin + performance.now();

/** Runs `fn(window)` in `page`. */
export const read = <T>(page: Page, fn: (w: BenchTab) => T) =>
  page.evaluate(`(${fn.toString()})(window)`) as Promise<Awaited<T>>;

/** A tab whose socket shares `name` (or not, with `undefined`), subscribed to `stream`. */
export async function openTab(
  tabs: Tabs,
  url: string,
  name: string | undefined,
  stream?: string,
): Promise<Page> {
  const page = await tabs.open();
  // A string, not a function: the bench runs through tsx, whose helpers a page lacks.
  await page.evaluate(`(() => {
    const at = () => performance.timeOrigin + performance.now();
    const name = ${JSON.stringify(name ?? null)};
    leads = [];
    opens = [];
    got = 0;
    target = -1;
    socket = new Lifeline.Socket(${JSON.stringify(url)}, { share: name === null ? false : { name } });
    socket.on('role', (role) => role === 'leader' && leads.push(at()));
    socket.on('open', () => opens.push(at()));
    const stream = ${JSON.stringify(stream ?? null)};
    if (stream) sub = socket.subscribe(stream, () => { if (++got === target) reached(); });
  })()`);
  return page;
}

export async function waitIn(page: Page, predicate: string, ms = 10_000): Promise<void> {
  await page.waitForFunction(predicate, undefined, { timeout: ms, polling: 10 });
}

/** Reads a page's main-thread time (CDP `TaskDuration`, seconds since `enable`). */
export async function mainThread(
  page: Page,
): Promise<{ seconds(): Promise<number>; end(): Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return {
    async seconds() {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const task = metrics.find((metric) => metric.name === 'TaskDuration');
      if (!task) throw new Error('CDP Performance.getMetrics has no TaskDuration');
      return task.value;
    },
    end: () => cdp.detach(),
  };
}
