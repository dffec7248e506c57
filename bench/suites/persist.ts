// `persist` (issue 16) in the shared benchmark Chromium: the send throughput with the durable
// outbox on as a ratio to off (sends queued while disconnected, and sends on an open
// connection, to a local `ws` echo server), and the time from `send()` until the message is
// committed in IndexedDB, for a burst of 1,000 and for a single send.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../test/support/ws-server';
import { bundlePage } from '../harness/bundle';
import { interleave } from '../harness/rounds';
import type { DurableRun } from '../page/persist';
import type { ExtraSection, GoalRow } from '../results';
import { fmt, fmtRatio, median, percentile, ratio } from '../stats';
import type { ExtraSuite, ExtraSuiteContext } from './extras';

const MODES = ['persist off', 'persist on'] as const;
const GOAL = 0.9;

/** Sizes: the full run, and a quick one well under a minute. */
const sizes = (quick: boolean) => ({
  queued: quick ? 500 : 20_000,
  /** Extra samples of the queued send loop per round (a loop of ~10 ms is easily disturbed). */
  bursts: quick ? 1 : 4,
  open: quick ? 1_000 : 20_000,
  burst: 1_000,
  durableRounds: quick ? 2 : 10,
});

/**
 * A page served from 127.0.0.1 (a secure context: IndexedDB and Web Locks work there, not on
 * about:blank; and a loopback page may open sockets to the loopback echo server) with the
 * harness script. The shared browser's `newPage()` gives the blank tab.
 */
async function persistPage(
  context: ExtraSuiteContext,
): Promise<{ page: Page; close(): Promise<void> }> {
  const script = await bundlePage();
  const http = createServer((req, res) => {
    if (req.url === '/bench.js')
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>persist</title><script src="/bench.js"></script>');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const page = await context.browser!.newPage();
  await page.goto(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`);
  await page.bringToFront(); // the timers of a background tab are throttled
  return {
    page,
    async close() {
      await page.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections(); // Chromium keeps the page's connection alive
      await closed;
    },
  };
}

/**
 * Off and on in interleaved rounds, in messages per second: the loop of `send()` calls
 * alone, the loop with the batch write that ends its task (the main thread's whole cost), and
 * delivery (first send to last echo); the ratios of the medians.
 */
async function throughput(
  context: ExtraSuiteContext,
  page: Page,
  server: TestServer,
  kind: 'queued' | 'open',
  count: number,
  extra: number,
) {
  const delivered = new Map<string, number[]>(MODES.map((mode) => [mode, []]));
  const loop = new Map<string, number[]>(MODES.map((mode) => [mode, []]));
  const task = new Map<string, number[]>(MODES.map((mode) => [mode, []]));
  // Persist off, the extra samples: their loop alone, and with a bare put of its bytes.
  const bare: number[] = [];
  const floor: number[] = [];
  await interleave(context.config, MODES, async (mode, recorded) => {
    const persist = mode === 'persist on';
    const run = await page.evaluate(
      ([k, url, p, n]) => globalThis.lifelinePersistBench[k](url, p, n),
      [kind, server.url(), persist, recorded ? count : Math.ceil(count / 5)] as const,
    );
    server.received.length = 0; // the echo server keeps every frame
    if (!recorded) return 0;
    delivered.get(mode)!.push(run.messages / (run.ms / 1000));
    // Queued: more samples of the loop alone, on sockets that never connect.
    const more = await page.evaluate(
      ([url, p, n, times]) => globalThis.lifelinePersistBench.bursts(url, p, n, times),
      [server.url(), persist, count, kind === 'queued' ? extra : 0] as const,
    );
    for (const r of [run, ...more]) {
      loop.get(mode)!.push(r.messages / (r.loopMs / 1000));
      task.get(mode)!.push(r.messages / (r.sendMs / 1000));
      if (r.putMs === undefined) continue;
      bare.push(r.messages / (r.loopMs / 1000));
      floor.push(r.messages / ((r.loopMs + r.putMs) / 1000));
    }
    return 0;
  });
  const compare = (samples: Map<string, number[]>) => {
    const off = median(samples.get('persist off')!);
    const on = median(samples.get('persist on')!);
    return { off, on, ratio: ratio(on, off) };
  };
  const compareFloor = () => {
    if (floor.length === 0) return { off: Number.NaN, on: Number.NaN, ratio: null };
    const off = median(bare);
    const on = median(floor);
    return { off, on, ratio: ratio(on, off) };
  };
  return {
    loop: compare(loop),
    task: compare(task),
    floor: compareFloor(),
    delivered: compare(delivered),
  };
}

/** p50/p99 of every send's latency to durable over `rounds` bursts of `count`. */
async function durable(page: Page, server: TestServer, count: number, rounds: number) {
  const latencies: number[] = [];
  let last: DurableRun | undefined;
  for (let round = 0; round < rounds; round++) {
    last = await page.evaluate(([url, n]) => globalThis.lifelinePersistBench.durable(url, n), [
      server.url(),
      count,
    ] as const);
    latencies.push(...last.latencies);
  }
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    transactions: last!.transactions,
    records: last!.records,
  };
}

async function run(context: ExtraSuiteContext): Promise<ExtraSection[]> {
  const size = sizes(context.config.name === 'quick');
  const server = await startTestServer();
  const served = await persistPage(context);
  const { page } = served;
  try {
    context.log(`persist: ${size.queued} queued sends, off vs on`);
    const queued = await throughput(context, page, server, 'queued', size.queued, size.bursts);
    context.log(`persist: ${size.open} sends on an open connection, off vs on`);
    const open = await throughput(context, page, server, 'open', size.open, 0);
    context.log(`persist: send() to durable, bursts of ${size.burst} and of 1`);
    const burst = await durable(page, server, size.burst, size.durableRounds);
    const single = await durable(page, server, 1, size.durableRounds * 5);
    const goal = (what: string, measured: number | null, before?: string): GoalRow => ({
      issue: 16,
      goal: `Send throughput with persist on, as a ratio to off: ${what}`,
      ...(before ? { before } : {}),
      target: `≥ ${GOAL}×`,
      measured: fmtRatio(measured),
      met: measured === null ? null : measured >= GOAL,
    });
    type Compared = Awaited<ReturnType<typeof throughput>>['task'];
    const row = (what: string, count: number, r: Compared) => [
      what,
      fmt(count),
      fmt(r.off),
      fmt(r.on),
      fmtRatio(r.ratio),
    ];
    return [
      {
        suite: 'persist',
        title: 'Surviving reloads (persist): send throughput, on vs off',
        headers: ['Sends', ' Messages', ' Off (msg/s)', ' On (msg/s)', ' On / off'],
        rows: [
          row('queued while disconnected: the send() loop', size.queued, queued.loop),
          row('queued: the loop + its batch write (main thread)', size.queued, queued.task),
          row(
            'the floor: the off loop + one bare put of the same bytes',
            size.queued,
            queued.floor,
          ),
          row('queued, then connect(): delivered', size.queued, queued.delivered),
          row('on an open connection: the send() loop', size.open, open.loop),
          row('on an open connection: delivered', size.open, open.delivered),
        ],
        method:
          `Real Chromium against a local \`ws\` echo server, 64-byte text envelopes. Queued: a fresh \`Socket\` (\`autoConnect: false\`; with persist, a fresh outbox, restored empty) gets every \`send()\` in one loop, then \`connect()\`. Open: the same sends on an open connection. "the send() loop" times the loop of \`send()\` calls alone (with persist, each queued message joins the task's batch there); "+ its batch write" also times the microtask that ends the task and writes the batch (\`put\` clones the record on the main thread): the whole main-thread cost of the burst; "the floor" adds to the loop without persist (on the same samples) the time of one bare IndexedDB \`put\` of the burst's bytes as a single string, prepared beforehand (no record to build, no join): what writing those bytes to IndexedDB costs the main thread in any record format, so no outbox written from the main thread can do better than that ratio (a worker could take the clone off it, at the cost of routing every write through it); "delivered" times from the first send to the last echo (connecting included when queued). Off and on alternate in ${context.config.rounds} interleaved rounds${context.config.warmup ? ' after a warm-up round' : ''}; the medians are compared. The queued loop (milliseconds long, easily disturbed) is sampled ${size.bursts + 1} times a round (the extra samples on fresh sockets that never connect), delivery once. ` +
          'With persist, the sends of one task are written as one IndexedDB record in one transaction, and deleted as they are flushed.',
        goals: [
          goal(
            'the send() loop while disconnected (queued)',
            queued.loop.ratio,
            '0.03× (one record per message)',
          ),
          goal('queued: the send() loop with its batch write (main thread)', queued.task.ratio),
          goal('queued, then delivered after connect()', queued.delivered.ratio),
          goal('delivered on an open connection', open.delivered.ratio),
        ],
      },
      {
        suite: 'persist',
        title: 'Surviving reloads (persist): time from send() to durable',
        headers: ['Burst', ' p50 (ms)', ' p99 (ms)', ' Write transactions', ' Records'],
        rows: [
          [
            `${fmt(size.burst)} sends in one task`,
            fmt(burst.p50, 2),
            fmt(burst.p99, 2),
            fmt(burst.transactions),
            fmt(burst.records),
          ],
          [
            '1 send',
            fmt(single.p50, 2),
            fmt(single.p99, 2),
            fmt(single.transactions),
            fmt(single.records),
          ],
        ],
        method: `While disconnected, with persist on: each \`send()\` is timed until the first IndexedDB write transaction after the burst commits (its \`complete\` event), and the outbox is then read back to check that it holds every message. Percentiles over the sends of ${size.durableRounds} bursts (${size.durableRounds * 5} single sends). The last columns count the write transactions and records one burst made.`,
        goals: [
          {
            issue: 16,
            goal: 'Writes are batched: one transaction per task at most (a burst of 1,000 sends)',
            before: '1 transaction, 1,000 records',
            target: '1 transaction',
            measured: `${fmt(burst.transactions)} transaction(s), ${fmt(burst.records)} record(s)`,
            met: burst.transactions === 1,
          },
        ],
      },
    ];
  } finally {
    await served.close();
    await server.close();
  }
}

export const persistSuite: ExtraSuite = { name: 'persist', browser: true, run };
