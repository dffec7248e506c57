// Per-message cost of a stream message against a plain `onMessage` route, measured like the
// receive rows (fake transport, chunked timing) in interleaved rounds, each route in a page of
// its own so one's JIT feedback does not shape the other's code. Both routes' frames are also
// handled by hand, without Lifeline: the difference of those two is what the larger stream
// frame costs by itself.
import type { Page } from 'playwright-core';
import type { BenchConfig } from '../config';
import type { BenchBrowser } from '../harness/browser';
import { interleave } from '../harness/rounds';
import type { CostRow } from '../results';
import { median, ratio } from '../stats';

/** Row names: the baseline first; then the same frames without Lifeline. */
export const STREAM_ROUTES = {
  onMessage: 'onMessage route',
  stream: 'stream message',
  plainByHand: 'hand-written: the onMessage frame',
  streamByHand: 'hand-written: the stream frame',
} as const;

export async function runStreamCost(
  browser: BenchBrowser,
  config: BenchConfig,
): Promise<CostRow[]> {
  const pages = new Map<string, Page>();
  const routes = Object.keys(STREAM_ROUTES) as (keyof typeof STREAM_ROUTES)[];
  try {
    const samples = await interleave(config, routes, async (route, recorded) => {
      let page = pages.get(route);
      if (!page) {
        page = await browser.newPage();
        pages.set(route, page);
      }
      await page.bringToFront();
      return page.evaluate(([r, n]) => globalThis.lifelineBench.streamCost(r, n), [
        route as keyof typeof STREAM_ROUTES,
        recorded ? config.perMessage : Math.min(config.perMessage, 20_000),
      ] as const);
    });
    const base = median(samples.get('onMessage')!);
    return routes.map((route) => {
      const values = samples.get(route)!;
      const ns = median(values);
      return {
        lib: STREAM_ROUTES[route],
        nsPerMessage: ns,
        ratio: ratio(ns, base),
        samples: values,
      };
    });
  } finally {
    await Promise.all([...pages.values()].map((page) => page.close()));
  }
}
