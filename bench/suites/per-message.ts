// Per-message cost over the in-page fake transport, against the bare native-handler baseline.
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

export async function runPerMessage(browser: BenchBrowser, config: BenchConfig, libs: string[]) {
  const page = await browser.newPage();
  try {
    const measure = (direction: 'receive' | 'send') => (lib: string, recorded: boolean) =>
      page.evaluate(([name, dir, count]) => globalThis.lifelineBench.perMessage(name, dir, count), [
        lib,
        direction,
        recorded ? config.perMessage : Math.min(config.perMessage, 20_000),
      ] as const);
    const receive = await interleave(config, libs, measure('receive'));
    const send = await interleave(config, libs, measure('send'));
    const routers = libs.includes('lifeline')
      ? (['hand-written', 'lifeline'] as const)
      : (['hand-written'] as const);
    const routing = await interleave(config, routers, (router, recorded) =>
      page.evaluate(([name, count]) => globalThis.lifelineBench.routing(name, count), [
        router as 'lifeline' | 'hand-written',
        recorded ? config.perMessage : Math.min(config.perMessage, 20_000),
      ] as const),
    );
    return {
      receive: rowsOf(receive, 'native'),
      send: rowsOf(send, 'native'),
      routing: rowsOf(routing, 'hand-written'),
    };
  } finally {
    await page.close();
  }
}
