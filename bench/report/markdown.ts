// Renders results as Markdown: the tables alone (printed by the run) and the full
// docs/benchmarks.md page with machine notes, goals and method.
import { FULL } from '../config';
import type { BenchResults, CostRow } from '../results';
import { fmt, fmtRatio } from '../stats';
import { streamSections } from './streams';
import { table } from './table';

const ms = (value: number | null) => (value === null ? 'never' : `${fmt(value)} ms`);
const met = (value: boolean | null) =>
  value === null ? 'not measured' : value ? 'met' : '**not met**';

function costTable(rows: CostRow[], baseline: string): string {
  return table(
    ['library', ' ns / message', ` × ${baseline}`, ' samples (ns)'],
    rows.map((row) => [
      row.lib,
      fmt(row.nsPerMessage, 1),
      fmtRatio(row.ratio),
      // Sends cost a few ns: whole ns would hide the differences that matter.
      row.samples.map((s) => fmt(s, row.nsPerMessage < 100 ? 1 : 0)).join(' '),
    ]),
  );
}

/**
 * Issue 13's goals with the figures it started from, then issue 8's that it does not restate,
 * then issue 14's.
 */
export function goalsSections(results: BenchResults): [string, string][] {
  const of = (issue: number) => results.goals.filter((goal) => goal.issue === issue);
  const sections: [string, string][] = [
    [
      'Goals of issue 13 (core diet)',
      table(
        ['goal', ' before (issue 13)', 'target', ' measured', 'result'],
        of(13).map((goal) => [
          goal.goal,
          goal.before ?? '—',
          goal.target,
          goal.measured,
          met(goal.met),
        ]),
      ),
    ],
    [
      'Goals of issue 8 (benchmarks)',
      `${table(
        ['goal', 'target', ' measured', 'result'],
        of(8).map((goal) => [goal.goal, goal.target, goal.measured, met(goal.met)]),
      )}

Issue 8's goals for routing (≤ 1.1× hand-written), idle heap (≤ 1.5× native) and the heap after
closing (no growth) are issue 13's too, with the same targets: they are listed once, above.`,
    ],
  ];
  const names: Record<number, string> = {
    14: 'streams',
    15: 'one connection for all tabs',
    16: 'surviving reloads',
    17: 'the Redis fleet',
    18: 'ecosystem',
  };
  for (const issue of [14, 15, 16, 17, 18]) {
    if (of(issue).length === 0) continue;
    // A "before" column where the suite measured the figure the issue started from.
    const before = of(issue).some((goal) => goal.before !== undefined);
    sections.push([
      `Goals of issue ${issue} (${names[issue]})`,
      table(
        ['goal', ...(before ? [' before'] : []), 'target', ' measured', 'result'],
        of(issue).map((goal) => [
          goal.goal,
          ...(before ? [goal.before ?? '—'] : []),
          goal.target,
          goal.measured,
          met(goal.met),
        ]),
      ),
    ]);
  }
  return sections;
}

/** The longest source files: issue 13 wants every one under 300 lines. */
function sourcesTable(results: BenchResults): string {
  const rows = results.sources ?? [];
  const shown = rows.slice(0, 5);
  return `${table(
    ['file', ' lines'],
    shown.map((row) => [`\`${row.path}\``, fmt(row.lines)]),
  )}

The ${shown.length} longest of ${rows.length} \`.ts\`/\`.tsx\` files under \`packages/*/src\`.`;
}

/**
 * Every measured section as `### title` + table; sections not run are left out. The goals come
 * last in the terminal (the summary after the details) and first on the page (`goalsFirst`).
 */
export function renderTables(results: BenchResults, goalsFirst = false): string {
  const { config } = results;
  const sections: [string, string][] = [];
  if (results.size.length > 0) {
    sections.push([
      'Bundle size (bytes)',
      table(
        ['bundle', 'how', ' min', ' min+gzip', ' min+brotli'],
        results.size.map((row) => [
          row.name,
          row.how,
          fmt(row.minBytes),
          fmt(row.gzipBytes),
          fmt(row.brotliBytes),
        ]),
      ),
    ]);
  }
  if ((results.sources ?? []).length > 0) {
    sections.push(['Source files (lines)', sourcesTable(results)]);
  }
  if (results.perMessage.receive.length > 0) {
    sections.push([
      `Per-message cost, receive (${fmt(config.perMessage)} messages, fake transport)`,
      costTable(results.perMessage.receive, 'native'),
    ]);
    sections.push([
      `Per-message cost, send (${fmt(config.perMessage)} messages, fake transport)`,
      costTable(results.perMessage.send, 'native'),
    ]);
    sections.push([
      `Envelope decoding + routing (${fmt(config.perMessage)} envelopes)`,
      costTable(results.perMessage.routing, 'hand-written'),
    ]);
  }
  const throughputTable = (rows: BenchResults['throughput']['small']) =>
    table(
      ['library', ' msgs/s', ' MB/s', ' × native', ' samples (msgs/s)'],
      rows.map((row) => [
        row.lib,
        fmt(row.messagesPerSecond),
        fmt(row.megabytesPerSecond, 1),
        fmtRatio(row.ratio),
        row.samples.map((s) => fmt(s)).join(' '),
      ]),
    );
  if (results.throughput.small.length > 0) {
    sections.push([
      `Throughput, ${fmt(config.smallCount)} × ${config.smallSize} B text echoes`,
      throughputTable(results.throughput.small),
    ]);
    sections.push([
      `Throughput, ${fmt(config.largeCount)} × ${fmt(config.largeSize / 1024)} KiB binary echoes`,
      throughputTable(results.throughput.large),
    ]);
  }
  if (results.recovery.length > 0) {
    sections.push([
      `Recovery after a server restart (median of ${config.recoveryTrials}, deadline ${fmt(config.recoveryDeadlineMs)} ms)`,
      table(
        ['library', ' down', ' server up → open', ' attempts while down', ' recovered'],
        results.recovery.map((row) => [
          row.lib,
          `${fmt(row.downMs / 1000)} s`,
          ms(row.recoverMs),
          fmt(row.attemptsWhileDown),
          `${row.recovered}/${row.trials}`,
        ]),
      ),
    ]);
  }
  if (results.herd.length > 0) {
    sections.push([
      `Herd: ${config.herdClients} clients in one page, server restarted (ms from server up)`,
      table(
        ['library', ' p10', ' p50', ' p90', ' reconnected'],
        results.herd.map((row) => [
          row.lib,
          ms(row.p10),
          ms(row.p50),
          ms(row.p90),
          `${row.reconnected}/${row.clients}`,
        ]),
      ),
    ]);
  }
  if (results.memory.length > 0) {
    sections.push([
      `Memory: JS heap per idle connected instance (${results.memory[0]?.instances ?? 0} instances)`,
      table(
        [
          'library',
          ' bytes / instance',
          ' × native',
          ' left after close (B)',
          ' of which JS data (B)',
        ],
        results.memory.map((row) => [
          row.lib,
          fmt(row.bytesPerInstance),
          fmtRatio(row.ratio),
          fmt(row.retainedBytes),
          row.retainedDataBytes === undefined ? '—' : fmt(row.retainedDataBytes),
        ]),
      ),
    ]);
  }
  sections.push(...streamSections(results));
  for (const extra of results.extras ?? []) {
    sections.push([extra.title, `${table(extra.headers, extra.rows)}\n\n${extra.method}`]);
  }
  if (goalsFirst) sections.unshift(...goalsSections(results));
  else sections.push(...goalsSections(results));
  return sections.map(([title, body]) => `### ${title}\n\n${body}\n`).join('\n');
}

/** Sentences naming every count that differs from the full configuration. */
function deviations(results: BenchResults): string {
  const config = results.config as unknown as Record<string, unknown>;
  const changed = Object.entries(FULL).filter(
    ([key, value]) => typeof value === 'number' && config[key] !== value,
  );
  if (changed.length === 0) return '';
  const list = changed.map(
    ([key, value]) => `\`${key}\` ${fmt(config[key] as number)} (full: ${fmt(value as number)})`,
  );
  return `\n\nThis run changed the full configuration: ${list.join(', ')}.`;
}

/** A warning when the machine was busy with other work while measuring. */
function loadNote(results: BenchResults): string {
  const { loadAverage, cores } = results.machine;
  if (loadAverage === undefined || loadAverage < cores) return '';
  return `\n\n**Caution:** the 1-minute load average was ${loadAverage} on ${cores} cores when this run started: other work shared the CPU, so absolute timings are inflated and noisy (see the spread of the samples). Ratios from interleaved rounds are the figures to read.`;
}

export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  return `# Benchmarks

<!-- Generated by \`pnpm bench\` (bench/run.mjs) on ${m.date}; edits here are overwritten. -->

Lifeline measured side by side with the native \`WebSocket\` and the peer libraries
reconnecting-websocket, partysocket, sockette, websocket-ts and robust-websocket, in the same
run, in real Chromium. Configuration: **${results.config.name}**; timings are the median of
${results.config.rounds} interleaved rounds (every library once per round${results.config.warmup ? ', after one unrecorded warm-up round' : ''}).

**Machine:** ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node};
Chromium ${m.chromium} (headless).${deviations(results)}${loadNote(results)}

![Ratios to native](./benchmarks-chart.svg)

${renderTables(results, true)}
## Method

- **Size**: the script-tag builds as shipped (production, minified; development, unminified,
  its size on disk only), and ESM bundles made the way an application's bundler makes them
  (esbuild \`--bundle --minify\`, browser platform) from the production build: Lifeline
  tree-shaken to \`Socket\`, to the smaller \`ReconnectingSocket\` entry, and with every export;
  the React and Vue adapters without react, vue and core; each peer's entry point. gzip level 9
  and brotli quality 11 from \`node:zlib\`. The rows "with − without" price one piece: the
  entry bundled from the sources as production, minus the same with that piece's modules
  replaced by stubs exporting the same names (its call sites stay, so each is a slight
  underestimate): each capability built after issue 13 in \`Socket\`, and each part of the
  smaller \`ReconnectingSocket\` entry, to weigh what its size goal would need.
- **Per-message cost**: an in-page fake transport (a \`WebSocket\` stand-in that fires
  \`message\` events in a loop and counts \`send\`s, no network) injected into each library —
  Lifeline, reconnecting-websocket and partysocket through their \`WebSocket\` option; sockette,
  websocket-ts and robust-websocket by swapping \`globalThis.WebSocket\` while they construct.
  The baseline is the fake transport with a plain \`onmessage\` handler. Messages are 64 B JSON
  envelopes. A receive sample times its messages in 2,000-message chunks (~3 ms); a send sample times 100
  chunks of sends, each doubled until it lasts at least 2 ms (and again, timing afresh, if a later one
  runs under 1 ms once the JIT caught up). A sample is the mean cost per
  message over the chunks that took at most two clock steps (0.2 ms) longer than the fastest:
  a chunk that another process preempted, or a GC pause hit, only ever takes longer, so the
  figure does not depend on how busy the machine was (the median of longer chunks, used
  before, flipped between the undisturbed and the preempted mode); averaging the chunks within
  that window undoes the page clock's 0.1 ms rounding. The unrecorded warm-up round runs a full
  sample.
  \`lifeline\` is \`Socket\` with its defaults (no heartbeat); \`lifeline (heartbeat on)\` is
  \`Socket\` with \`heartbeat: { interval: 60_000, timeout: 10_000 }\`, long enough that no ping
  goes out during a sample, so only the per-frame bookkeeping counts; \`lifeline
  (ReconnectingSocket)\` is the smaller entry. All of them run in the same interleaved rounds,
  each library and variant in a page of its own, so code they share is not optimised for
  another's use of it.
  Routing compares Lifeline's \`onMessage\` (three types registered) with \`JSON.parse\` plus a
  \`switch\` on \`type\`.
- **Source files**: lines of every \`.ts\`/\`.tsx\` file under \`packages/*/src\`, counted as
  \`wc -l\` does.
- **Throughput**: one client per library against a local \`ws\` echo server on 127.0.0.1:
  send every message at once, stop the clock at the last echo. Binary frames are received as
  \`ArrayBuffer\`s by every library.
- **Recovery**: one client per library (all in one page at once, library defaults),
  the server stops (clients get close code 1001, "going away"), stays down, and listens again.
  Time from listening again to the library's next \`open\`; attempts are transports constructed
  while the server was down. sockette treats 1001 as final, so it never reconnects here.
  websocket-ts does not reconnect at all by default; it runs with the constant 1 s backoff from
  its README.
- **Herd**: ${results.config.herdClients} clients of one library in one page, server restarted
  with no downtime; percentiles of each client's time from server up to its reconnect.
- **Memory**: CDP \`HeapProfiler.collectGarbage\` then \`Runtime.getHeapUsage\` around opening
  ${results.memory[0]?.instances ?? results.config.memoryInstances} idle connected instances of one library
  in a fresh page, and again after closing them all; a full warm-up cycle (as many instances
  opened and closed) comes first, so compiled code and caches are in the baseline. Chromium allows 255
  WebSockets per browser, so 1,000 real connections cannot be open at once. The figure includes
  the harness's own bookkeeping (a few dozen bytes per client, the same for every library).
  "Left after close" is the whole heap, compiled code included: V8 keeps compiling hot
  functions over the first cycles, so it grows a few KB for any library. "Of which JS data"
  sums the objects, closures, arrays and strings of heap snapshots taken at the same two
  moments: what a leak would leave behind, and what the goal is judged on.
- **Streams** (issue 14): a stream message's cost, replay throughput and server fan-out
  against socket.io; the method of each is under its table.
- **Capabilities** (issues 15–18: sharing across tabs, persistence, the Redis fleet,
  validation): each suite in \`bench/suites/extras.ts\` states its method under its table.

Benchmarks are not tests: CI runs \`--quick\` only to check the harness works
(\`bench/bench-quick.e2e.test.ts\`), plus the size budget (\`bench/size-budget.int.test.ts\`).
`;
}
