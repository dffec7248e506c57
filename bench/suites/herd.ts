// Thundering herd: many clients of one library in one page, server restarted, how the
// reconnects spread out over time (p10/p50/p90 from the server listening again).
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../test/support/ws-server';
import type { BenchConfig } from '../config';
import type { BenchBrowser } from '../harness/browser';
import { drained, restartServer } from '../harness/server';
import type { HerdRow } from '../results';
import { percentile } from '../stats';

/** Chromium allows 255 WebSockets per browser; stay below it with room for stragglers. */
const SOCKET_LIMIT = 200;

/** One restart observed by the fleets of every library in `batch` at once. */
async function herd(page: Page, server: TestServer, config: BenchConfig, batch: string[]) {
  await page.evaluate(
    async ([names, url, count]) => {
      for (const name of names) globalThis.lifelineBench.spawnFleet(name, url, count);
      await Promise.all(
        names.map((name) => globalThis.lifelineBench.waitFleetOpen(name, 1, 30_000)),
      );
    },
    [batch, server.url(), config.herdClients] as const,
  );
  const { upAt } = await restartServer(server, 0);
  const states = await page.evaluate(
    async ([names, deadline]) => {
      const bench = globalThis.lifelineBench;
      await Promise.all(
        names.map((name) => bench.waitFleetOpen(name, 2, deadline).catch(() => undefined)),
      );
      const result = names.map((name) => bench.fleetState(name));
      for (const name of names) bench.closeFleet(name);
      return result;
    },
    [batch, config.recoveryDeadlineMs] as const,
  );
  await drained(server);
  return batch.map((lib, i): HerdRow => {
    const delays = states[i]!.opens.flatMap((times) =>
      times[1] === undefined ? [] : [Math.max(0, times[1] - upAt)],
    );
    const at = (p: number) => (delays.length > 0 ? percentile(delays, p) : null);
    return {
      lib,
      clients: config.herdClients,
      reconnected: delays.length,
      p10: at(0.1),
      p50: at(0.5),
      p90: at(0.9),
    };
  });
}

export async function runHerd(browser: BenchBrowser, config: BenchConfig, libs: string[]) {
  const server = await startTestServer();
  const page = await browser.newPage();
  // Small herds share one restart; real-sized herds each get the browser to themselves.
  const batches =
    config.herdClients * libs.length <= SOCKET_LIMIT ? [libs] : libs.map((lib) => [lib]);
  const rows: HerdRow[] = [];
  try {
    for (const batch of batches) rows.push(...(await herd(page, server, config, batch)));
  } finally {
    await page.close();
    await server.close();
  }
  return rows;
}
