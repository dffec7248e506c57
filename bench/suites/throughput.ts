// End-to-end throughput in Chromium against a local `ws` echo server, small and 1 MiB frames.
import { startTestServer } from '../../test/support/ws-server';
import type { BenchConfig } from '../config';
import type { BenchBrowser } from '../harness/browser';
import { interleave } from '../harness/rounds';
import type { ThroughputRow } from '../results';
import { median, ratio } from '../stats';

export async function runThroughput(browser: BenchBrowser, config: BenchConfig, libs: string[]) {
  const server = await startTestServer();
  const page = await browser.newPage();
  try {
    const table = async (count: number, size: number): Promise<ThroughputRow[]> => {
      const samples = await interleave(config, libs, async (lib, recorded) => {
        const run = await page.evaluate(
          ([name, url, n, bytes]) => globalThis.lifelineBench.throughput(name, url, n, bytes),
          [lib, server.url(), recorded ? count : Math.ceil(count / 5), size] as const,
        );
        // The test server keeps every text frame; drop them so a long run stays small.
        server.received.length = 0;
        return run.messages / (run.ms / 1000);
      });
      const base = median(samples.get('native') ?? []);
      return [...samples].map(([lib, rates]) => {
        const messagesPerSecond = median(rates);
        return {
          lib,
          messagesPerSecond,
          megabytesPerSecond: (messagesPerSecond * size) / 1e6,
          ratio: ratio(messagesPerSecond, base),
          samples: rates,
        };
      });
    };
    return {
      small: await table(config.smallCount, config.smallSize),
      large: await table(config.largeCount, config.largeSize),
    };
  } finally {
    await page.close();
    await server.close();
  }
}
