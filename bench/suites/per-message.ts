// Per-message cost over the in-page fake transport, against the bare native-handler baseline.
import type { Page } from 'playwright-core';
import type { BenchConfig } from '../config';
import type { BenchBrowser } from '../harness/browser';
import { interleave } from '../harness/rounds';
import type { CostRow } from '../results';
import { median, ratio } from '../stats';

function rowsOf(samples: Map<string, number[]>, baseline: string): CostRow[] {
  const base = median(samples.get(baseline) ?? []);
  return [...samples].map(([lib, values]) => {
    const ns = median(values);
    return { lib, nsPerMessage: ns, ratio: ratio(ns, base), samples: values };
  });
}

/** `libs` with the Lifeline variants right after `lifeline`, so the table reads top-down. */
export function withVariants(libs: readonly string[], variants: readonly string[]): string[] {
  const at = libs.indexOf('lifeline');
  if (at < 0) return [...libs];
  return [...libs.slice(0, at + 1), ...variants, ...libs.slice(at + 1)];
}

/**
 * Receive and send cost of every library and Lifeline variant, interleaved in one run so the
 * ratios compare like with like, and envelope routing against hand-written code. Each contender
 * runs in a page of its own: `Socket`, its heartbeat variant and `ReconnectingSocket` share
 * code, and one's JIT feedback (e.g. a call site made polymorphic) must not slow another.
 */
export async function runPerMessage(
  browser: BenchBrowser,
  config: BenchConfig,
  libs: string[],
  variants: string[] = [],
) {
  const pages = new Map<string, Page>();
  const pageOf = async (key: string) => {
    let page = pages.get(key);
    if (!page) {
      page = await browser.newPage();
      pages.set(key, page);
    }
    // Only the page in front is sure not to have its timers throttled.
    await page.bringToFront();
    return page;
  };
  // The warm-up round runs as many messages as a recorded one: with fewer, the first recorded
  // round still ran partly in code the JIT had not finished optimising.
  const count = config.perMessage;
  try {
    const contenders = withVariants(libs, variants);
    const measure = (direction: 'receive' | 'send') => async (lib: string) =>
      (await pageOf(lib)).evaluate(
        ([name, dir, n]) => globalThis.lifelineBench.perMessage(name, dir, n),
        [lib, direction, count] as const,
      );
    const receive = await interleave(config, contenders, measure('receive'));
    const send = await interleave(config, contenders, measure('send'));
    const routers = libs.includes('lifeline')
      ? (['hand-written', 'lifeline'] as const)
      : (['hand-written'] as const);
    const routing = await interleave(config, routers, async (router) =>
      (await pageOf(`routing: ${router}`)).evaluate(
        ([name, n]) => globalThis.lifelineBench.routing(name, n),
        [router as 'lifeline' | 'hand-written', count] as const,
      ),
    );
    return {
      receive: rowsOf(receive, 'native'),
      send: rowsOf(send, 'native'),
      routing: rowsOf(routing, 'hand-written'),
    };
  } finally {
    await Promise.all([...pages.values()].map((page) => page.close()));
  }
}
