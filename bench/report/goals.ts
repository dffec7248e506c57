// The goals of issues 8 and 13 and whether a run met them. A goal that could not be measured
// (e.g. Lifeline not built) is reported as such, never as met.
import type { BenchResults, CostRow, GoalRow, SizeRow, ThroughputRow } from '../results';
import { fmt, fmtRatio } from '../stats';

const lifelineRow = <T extends { lib: string }>(rows: readonly T[]) =>
  rows.find((row) => row.lib === 'lifeline');

function ratioGoal(
  goal: string,
  target: string,
  row: CostRow | ThroughputRow | undefined,
  ok: (r: number) => boolean,
): GoalRow {
  const value = row?.ratio ?? null;
  return { goal, target, measured: fmtRatio(value), met: value === null ? null : ok(value) };
}

/** A size goal in bytes min+gz; a row that was not measured (not built, not exported) is "—". */
function sizeGoal(goal: string, rows: readonly SizeRow[], name: string, limit: number): GoalRow {
  const bytes = rows.find((row) => row.name === name)?.gzipBytes ?? null;
  return {
    goal,
    target: `≤ ${fmt(limit)} B min+gz`,
    measured: bytes === null ? '—' : `${fmt(bytes)} B`,
    met: bytes === null ? null : bytes <= limit,
  };
}

export function evaluateGoals(results: Omit<BenchResults, 'goals'>): GoalRow[] {
  const memory = lifelineRow(results.memory);
  const goals: GoalRow[] = [
    ratioGoal(
      'Throughput, small messages',
      '≥ 0.97× native',
      lifelineRow(results.throughput.small),
      (r) => r >= 0.97,
    ),
    ratioGoal(
      'Throughput, 1 MiB messages',
      '≥ 0.97× native',
      lifelineRow(results.throughput.large),
      (r) => r >= 0.97,
    ),
    ratioGoal(
      'Per-message cost, receive',
      '≤ 1.2× native baseline',
      lifelineRow(results.perMessage.receive),
      (r) => r <= 1.2,
    ),
    ratioGoal(
      'Per-message cost, send',
      '≤ 1.2× native baseline',
      lifelineRow(results.perMessage.send),
      (r) => r <= 1.2,
    ),
    ratioGoal(
      'Envelope decode + routing',
      '≤ 1.1× hand-written',
      lifelineRow(results.perMessage.routing),
      (r) => r <= 1.1,
    ),
    sizeGoal('Script-tag build, min+gz', results.size, 'lifeline (script tag)', 6000),
    sizeGoal(
      'Smaller entry (`ReconnectingSocket`), ESM tree-shaken, min+gz',
      results.size,
      'lifeline (ESM: ReconnectingSocket)',
      4500,
    ),
    sizeGoal('Core size, all-in', results.size, 'lifeline (all-in)', 4096),
    {
      goal: 'Idle heap per connection',
      target: '≤ 1.5× native',
      measured: memory ? `${fmtRatio(memory.ratio)} (${fmt(memory.bytesPerInstance)} B)` : '—',
      met: memory?.ratio == null ? null : memory.ratio <= 1.5,
    },
    {
      goal: 'Heap growth after closing all',
      target: '0 (within GC noise: < 16 B per instance)',
      measured: memory ? `${fmt(memory.retainedBytes)} B over ${memory.instances}` : '—',
      met: memory ? memory.retainedBytes < 16 * memory.instances : null,
    },
  ];
  return goals;
}
