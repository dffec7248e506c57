// The goals of issues 8, 13 and 14 and whether a run met them. A goal that could not be measured
// (e.g. Lifeline not built, or a suite left out with --only) is reported as such, never as met.
// Issue 13 restates three goals of issue 8 (routing, idle heap, heap after close) with the same
// targets: they are listed once, under issue 13, next to the figures that issue started from.
import type { BenchResults, CostRow, GoalRow, SizeRow, ThroughputRow } from '../results';
import { fmt, fmtRatio } from '../stats';

/** The Lifeline row of a table, or of one of its variants (e.g. "lifeline (heartbeat on)"). */
const rowOf = <T extends { lib: string }>(rows: readonly T[], lib = 'lifeline') =>
  rows.find((row) => row.lib === lib);

/** The largest file may have at most this many lines (issue 13: "< 300 lines"). */
export const MAX_FILE_LINES = 299;

/**
 * A ratio as shown in the table: two decimals, or three where two would round across the
 * target (1.104× shown as "1.10×" next to "≤ 1.1×" would read as met when it is not).
 */
export function shownRatio(value: number, ok: (r: number) => boolean): string {
  const rounded = fmtRatio(value);
  return ok(Number(value.toFixed(2))) === ok(value) ? rounded : `${value.toFixed(3)}×`;
}

function ratioGoal(
  issue: GoalRow['issue'],
  goal: string,
  target: string,
  row: CostRow | ThroughputRow | undefined,
  ok: (r: number) => boolean,
  before?: string,
): GoalRow {
  const value = row?.ratio ?? null;
  return {
    issue,
    goal,
    ...(before === undefined ? {} : { before }),
    target,
    measured: value === null ? '—' : shownRatio(value, ok),
    met: value === null ? null : ok(value),
  };
}

/** A size goal in bytes min+gz; a row that was not measured (not built, not exported) is "—". */
function sizeGoal(
  issue: GoalRow['issue'],
  goal: string,
  rows: readonly SizeRow[],
  name: string,
  limit: number,
  before?: string,
): GoalRow {
  const bytes = rows.find((row) => row.name === name)?.gzipBytes ?? null;
  return {
    issue,
    goal,
    ...(before === undefined ? {} : { before }),
    target: `≤ ${fmt(limit)} B`,
    measured: bytes === null ? '—' : `${fmt(bytes)} B`,
    met: bytes === null ? null : bytes <= limit,
  };
}

/** The capabilities built after issue 13, and what each may add to the full build (1.5 KB). */
const CAPABILITIES = ['streams', 'persist', 'share', 'validation'];
const CAPABILITY_BUDGET = 1536;
/** The "before" of a goal about what did not exist when issue 13 was filed. */
const NEW_SINCE = '— (built since)';

const signed = (bytes: number) => `${bytes > 0 ? '+' : ''}${fmt(bytes)} B`;

/** Issue 13 (core diet): every row of its goals table, with the figures it started from. */
function coreDiet(results: Omit<BenchResults, 'goals'>): GoalRow[] {
  const { receive, send, routing } = results.perMessage;
  const heartbeat = rowOf(receive, 'lifeline (heartbeat on)');
  const plain = rowOf(receive);
  const receiveOn = ratioGoal(
    13,
    'Receive cost vs the bare fake transport, heartbeat **on**',
    '≤ 1.1× native',
    heartbeat,
    (r) => r <= 1.1,
    '~100 ns/frame extra',
  );
  // The issue counted the heartbeat's cost as ns per frame over heartbeat off: show both.
  if (heartbeat?.ratio != null && plain) {
    const extra = heartbeat.nsPerMessage - plain.nsPerMessage;
    receiveOn.measured += ` (${extra >= 0 ? '+' : '−'}${fmt(Math.abs(extra))} ns/frame vs off)`;
  }
  const memory = rowOf(results.memory);
  const largest = results.sources?.[0];
  return [
    // The issue's 6,000 B is for the features of its time; each capability after it (streams,
    // persist, share, validation) may add 1,536 B to the full build.
    sizeGoal(
      13,
      "Script-tag build, everything in, min+gz: the features of issue 13's time (`Socket` with the capabilities after it stubbed out)",
      results.size,
      'lifeline (Socket without the capabilities)',
      6000,
      '7,962 B',
    ),
    sizeGoal(
      13,
      `Script-tag build, everything in, min+gz: as shipped, with the ${CAPABILITIES.length} capabilities after issue 13 (6,000 B + ${fmt(CAPABILITY_BUDGET)} B each)`,
      results.size,
      'lifeline (script tag)',
      6000 + CAPABILITIES.length * CAPABILITY_BUDGET,
      NEW_SINCE,
    ),
    ...CAPABILITIES.map((name) =>
      sizeGoal(
        13,
        `What ${name} adds to the full build (\`Socket\`), min+gz`,
        results.size,
        `lifeline: ${name} (capability)`,
        CAPABILITY_BUDGET,
        NEW_SINCE,
      ),
    ),
    sizeGoal(
      13,
      'ESM: the smaller entry (`ReconnectingSocket`), tree-shaken, min+gz',
      results.size,
      'lifeline (ESM: ReconnectingSocket)',
      4500,
      '8,290 B (`Socket`, the only entry then)',
    ),
    receiveOn,
    ratioGoal(13, 'Receive cost, heartbeat off', '≤ 1.1× native', plain, (r) => r <= 1.1, '1.10×'),
    ratioGoal(13, 'Send cost', '≤ 1.3× native', rowOf(send), (r) => r <= 1.3, '1.33×'),
    ratioGoal(
      13,
      'Envelope decode + routing vs hand-written `JSON.parse` + `switch`',
      '≤ 1.1× hand-written',
      rowOf(routing),
      (r) => r <= 1.1,
      '1.18×',
    ),
    {
      issue: 13,
      goal: 'JS heap per idle connected instance vs native',
      before: '3.31× (1,842 B)',
      target: '≤ 1.5× native',
      measured: memory ? `${fmtRatio(memory.ratio)} (${fmt(memory.bytesPerInstance)} B)` : '—',
      met: memory?.ratio == null ? null : memory.ratio <= 1.5,
    },
    {
      issue: 13,
      goal: 'Heap left after closing every instance',
      before: '+4,480 B over 200',
      target: 'baseline (< 16 B per instance)',
      // A leak is data left behind; compiled code grows as functions tier up, for any library.
      measured: memory
        ? memory.retainedDataBytes === undefined
          ? `${signed(memory.retainedBytes)} over ${fmt(memory.instances)}`
          : `${signed(memory.retainedDataBytes)} of JS data over ${fmt(memory.instances)} (${signed(memory.retainedBytes)} with compiled code)`
        : '—',
      met: memory
        ? (memory.retainedDataBytes ?? memory.retainedBytes) < 16 * memory.instances
        : null,
    },
    {
      issue: 13,
      goal: 'Largest file in `packages/*/src`',
      before: '705 lines (`socket.ts`)',
      target: `< ${MAX_FILE_LINES + 1} lines`,
      measured: largest ? `${fmt(largest.lines)} lines (\`${largest.path}\`)` : '—',
      met: largest ? largest.lines <= MAX_FILE_LINES : null,
    },
  ];
}

/** Issue 8 (benchmarks): the goals issue 13 does not restate. */
function benchmarks(results: Omit<BenchResults, 'goals'>): GoalRow[] {
  const { throughput, perMessage } = results;
  return [
    ratioGoal(
      8,
      'Throughput, small messages',
      '≥ 0.97× native',
      rowOf(throughput.small),
      (r) => r >= 0.97,
    ),
    ratioGoal(
      8,
      'Throughput, 1 MiB messages',
      '≥ 0.97× native',
      rowOf(throughput.large),
      (r) => r >= 0.97,
    ),
    ratioGoal(
      8,
      'Per-message cost, receive',
      '≤ 1.2× native',
      rowOf(perMessage.receive),
      (r) => r <= 1.2,
    ),
    ratioGoal(
      8,
      'Per-message cost, send',
      '≤ 1.2× native',
      rowOf(perMessage.send),
      (r) => r <= 1.2,
    ),
    sizeGoal(8, 'Core all-in, min+gz', results.size, 'lifeline (all-in)', 4096),
  ];
}

/** Issue 14 (streams): a stream message costs about what a plain `onMessage` route does. */
function streams(results: Omit<BenchResults, 'goals'>): GoalRow[] {
  return [
    ratioGoal(
      14,
      'Per-message cost of a stream message vs a plain `onMessage` route',
      '≤ 1.1× onMessage',
      rowOf(results.streamCost ?? [], 'stream message'),
      (r) => r <= 1.1,
    ),
  ];
}

export function evaluateGoals(results: Omit<BenchResults, 'goals'>): GoalRow[] {
  return [
    ...coreDiet(results),
    ...benchmarks(results),
    ...streams(results),
    ...(results.extras ?? []).flatMap((section) => section.goals ?? []),
  ];
}
