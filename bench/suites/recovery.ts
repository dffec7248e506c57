// Recovery after a server restart: one client of every library, all in one page with their
// defaults, timing the reconnect and counting the attempts spent while the server was down.
import { startTestServer } from '../../test/support/ws-server';
import type { BenchConfig } from '../config';
import type { BenchBrowser } from '../harness/browser';
import { restartServer } from '../harness/server';
import type { RecoveryRow } from '../results';
import { median } from '../stats';

interface Trial {
  recoverMs: number | null;
  attemptsWhileDown: number;
}

async function trial(browser: BenchBrowser, config: BenchConfig, libs: string[], downMs: number) {
  const server = await startTestServer();
  const page = await browser.newPage();
  try {
    await page.evaluate(
      async ([names, url]) => {
        for (const name of names) globalThis.lifelineBench.spawnFleet(name, url, 1);
        await Promise.all(
          names.map((name) => globalThis.lifelineBench.waitFleetOpen(name, 1, 10_000)),
        );
      },
      [libs, server.url()] as const,
    );
    const marks = await restartServer(server, downMs);
    const states = await page.evaluate(
      async ([names, deadline]) => {
        const bench = globalThis.lifelineBench;
        await Promise.all(
          names.map((name) => bench.waitFleetOpen(name, 2, deadline).catch(() => undefined)),
        );
        return names.map((name) => bench.fleetState(name));
      },
      [libs, config.recoveryDeadlineMs] as const,
    );
    return libs.map((lib, i): [string, Trial] => {
      const state = states[i]!;
      const reopened = state.opens[0]?.[1];
      return [
        lib,
        {
          recoverMs: reopened === undefined ? null : Math.max(0, reopened - marks.upAt),
          attemptsWhileDown: state.attempts.filter((at) => at >= marks.stoppedAt && at < marks.upAt)
            .length,
        },
      ];
    });
  } finally {
    await page.close();
    await server.close();
  }
}

export async function runRecovery(browser: BenchBrowser, config: BenchConfig, libs: string[]) {
  const rows: RecoveryRow[] = [];
  for (const downMs of config.recoveryDownMs) {
    const perLib = new Map<string, Trial[]>(libs.map((lib) => [lib, []]));
    for (let i = 0; i < config.recoveryTrials; i++) {
      for (const [lib, result] of await trial(browser, config, libs, downMs))
        perLib.get(lib)!.push(result);
    }
    for (const [lib, trials] of perLib) {
      const times = trials.map((t) => t.recoverMs).filter((ms): ms is number => ms !== null);
      rows.push({
        lib,
        downMs,
        // A library that missed the deadline in most trials counts as not recovering.
        recoverMs: times.length * 2 > trials.length ? median(times) : null,
        attemptsWhileDown: median(trials.map((t) => t.attemptsWhileDown)),
        recovered: times.length,
        trials: trials.length,
      });
    }
  }
  return rows;
}
