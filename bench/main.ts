// Runs the benchmarks, prints each table as it completes, and writes the report.
//   node --import tsx bench/main.ts [--quick] [--only=size,per-message,...] [--out=dir]
//                                   [--rounds=N --smallCount=N --largeCount=N ...] (config.ts)
//   node --import tsx bench/main.ts --render=results.json [--out=dir]   (report only)
// The full run rewrites docs/benchmarks.md and docs/benchmarks-chart.svg; --quick (or --only)
// writes to node_modules/.cache/lifeline-bench/ unless --out says otherwise, so docs only ever
// hold full runs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchConfig, FULL, QUICK, withOverrides } from './config';
import { type BenchBrowser, openBenchBrowser } from './harness/browser';
import { fromRoot } from './harness/paths';
import { renderChart } from './report/chart';
import { evaluateGoals } from './report/goals';
import { machineNotes } from './report/machine';
import { renderMarkdown, renderTables } from './report/markdown';
import type { BenchResults } from './results';
import { EXTRA_SUITES } from './suites/extras';
import { runFanout } from './suites/fanout';
import { runHerd } from './suites/herd';
import { runMemory } from './suites/memory';
import { runPerMessage } from './suites/per-message';
import { runRecovery } from './suites/recovery';
import { runReplay } from './suites/replay';
import { measureSizes } from './suites/size';
import { measureSources } from './suites/sources';
import { runStreamCost } from './suites/stream-cost';
import { runThroughput } from './suites/throughput';

const SUITES = [
  'size',
  'sources',
  'per-message',
  'stream-cost',
  'throughput',
  'replay',
  'recovery',
  'herd',
  'memory',
  'fanout',
  ...EXTRA_SUITES.map((suite) => suite.name),
];
type Suite = string;
/** Suites measured in Node alone, without Chromium. */
const STATIC: readonly Suite[] = [
  'size',
  'sources',
  'fanout',
  ...EXTRA_SUITES.filter((suite) => !suite.browser).map((suite) => suite.name),
];

interface Cli {
  config: BenchConfig;
  suites: Suite[];
  out: string;
  /** Only a complete full run may replace the published docs. */
  publish: boolean;
}

function parseArgs(argv: string[]): Cli {
  const base = argv.includes('--quick') ? QUICK : FULL;
  const config = withOverrides(base, argv);
  const only = argv
    .find((arg) => arg.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  for (const name of only ?? []) {
    if (!SUITES.includes(name))
      throw new Error(`Unknown suite "${name}"; pick from ${SUITES.join(', ')}`);
  }
  const out = argv.find((arg) => arg.startsWith('--out='))?.slice('--out='.length);
  const publish = base === FULL && !only && !out;
  return {
    config,
    suites: only ?? [...SUITES],
    // Unpublished runs go under node_modules/.cache: ignored by git and by the linter.
    out:
      out ??
      (publish ? fromRoot('docs') : fromRoot(`node_modules/.cache/lifeline-bench/${config.name}`)),
    publish,
  };
}

const log = (message: string) => process.stderr.write(`${message}\n`);

/** Writes the Markdown page and chart, formatted the way the repository's linter expects. */
function writeReport(results: BenchResults, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, 'benchmarks.md'), join(dir, 'benchmarks-chart.svg')];
  writeFileSync(files[0]!, renderMarkdown(results));
  writeFileSync(files[1]!, renderChart(results));
  spawnSync(fromRoot('node_modules/.bin/biome'), ['format', '--write', ...files], {
    stdio: 'ignore',
  });
  log(`Report written to ${dir}`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // --render=results.json: rebuild the report from a saved run without measuring again.
  const saved = argv.find((arg) => arg.startsWith('--render='))?.slice('--render='.length);
  if (saved) {
    const results = JSON.parse(readFileSync(saved, 'utf8')) as BenchResults;
    const out =
      argv.find((arg) => arg.startsWith('--out='))?.slice('--out='.length) ?? fromRoot('docs');
    writeReport({ ...results, goals: evaluateGoals(results) }, out);
    return;
  }
  const cli = parseArgs(argv);
  const { config } = cli;
  const wants = (suite: Suite) => cli.suites.includes(suite);
  const needsBrowser = cli.suites.some((suite) => !STATIC.includes(suite));
  // Notes first (the load average before our own work adds to it), and nothing that can throw
  // between launching Chromium and the `finally` that closes it.
  const machine = machineNotes('not used');
  const browser: BenchBrowser | undefined = needsBrowser ? await openBenchBrowser() : undefined;
  if (browser) machine.chromium = browser.version;
  const partial: Omit<BenchResults, 'goals'> = {
    config,
    machine,
    size: [],
    perMessage: { receive: [], send: [], routing: [] },
    throughput: { small: [], large: [] },
    recovery: [],
    herd: [],
    memory: [],
    sources: [],
    streamCost: [],
    replay: [],
    fanout: [],
    extras: [],
  };
  try {
    const { libs, variants } = browser ? await libsInPage(browser) : NO_LIBS;
    if (browser && !libs.includes('lifeline'))
      log('! @lifeline/core is not built: Lifeline is left out.');
    const step = async (suite: Suite, run: () => Promise<void>) => {
      if (!wants(suite)) return;
      const started = Date.now();
      log(`▶ ${suite} (${config.name})`);
      await run();
      log(`✓ ${suite} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    };
    await step('size', async () => {
      partial.size = await measureSizes();
    });
    await step('sources', async () => {
      partial.sources = measureSources();
    });
    await step('per-message', async () => {
      partial.perMessage = await runPerMessage(browser!, config, libs, variants);
    });
    // Streams are Lifeline's alone: without a core build there is nothing to compare.
    const withLifeline = libs.includes('lifeline');
    await step('stream-cost', async () => {
      if (withLifeline) partial.streamCost = await runStreamCost(browser!, config);
    });
    await step('throughput', async () => {
      partial.throughput = await runThroughput(browser!, config, libs);
    });
    await step('replay', async () => {
      if (withLifeline) partial.replay = await runReplay(browser!, config);
    });
    // The native WebSocket never reconnects: nothing to time after a restart.
    const reconnecting = libs.filter((lib) => lib !== 'native');
    await step('recovery', async () => {
      partial.recovery = await runRecovery(browser!, config, reconnecting);
    });
    await step('herd', async () => {
      partial.herd = await runHerd(browser!, config, reconnecting);
    });
    await step('memory', async () => {
      partial.memory = await runMemory(browser!, config, libs);
    });
    await step('fanout', async () => {
      partial.fanout = await runFanout(config);
    });
    for (const suite of EXTRA_SUITES) {
      await step(suite.name, async () => {
        const sections = await suite.run({
          config,
          browser: suite.browser ? browser : undefined,
          log,
        });
        partial.extras!.push(...sections);
      });
    }
  } finally {
    await browser?.close();
  }
  const results: BenchResults = { ...partial, goals: evaluateGoals(partial) };
  console.log(renderTables(results));
  writeReport(results, cli.out);
  const json = cli.publish
    ? fromRoot('node_modules/.cache/lifeline-bench/published.json')
    : join(cli.out, 'results.json');
  mkdirSync(join(json, '..'), { recursive: true });
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  log(`Results saved to ${json}`);
}

const NO_LIBS: { libs: string[]; variants: string[] } = { libs: [], variants: [] };

/** The libraries bundled into the page, and the Lifeline variants measured per message. */
async function libsInPage(browser: BenchBrowser): Promise<{ libs: string[]; variants: string[] }> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(() => ({
      libs: globalThis.lifelineBench.libs(),
      variants: globalThis.lifelineBench.variants(),
    }));
  } finally {
    await page.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
