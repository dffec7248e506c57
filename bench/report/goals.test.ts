import { describe, expect, it } from 'vitest';
import { QUICK } from '../config';
import type { BenchResults, CostRow, SizeRow } from '../results';
import { evaluateGoals, shownRatio } from './goals';
import { goalsSections } from './markdown';

const cost = (lib: string, nsPerMessage: number, ratio: number | null): CostRow => ({
  lib,
  nsPerMessage,
  ratio,
  samples: [nsPerMessage],
});

const size = (name: string, gzipBytes: number): SizeRow => ({
  name,
  how: 'test',
  minBytes: gzipBytes * 3,
  gzipBytes,
  brotliBytes: gzipBytes - 1,
});

type Measured = Omit<BenchResults, 'goals'>;

/** A run where every goal is measured; `change` edits it before the goals are evaluated. */
function run(change: (results: Measured) => void = () => {}): Measured {
  const results: Measured = {
    config: QUICK,
    machine: {
      cpu: 'test',
      cores: 2,
      memoryGiB: 1,
      os: 'test',
      node: 'v20',
      chromium: '1',
      date: '',
    },
    size: [
      size('lifeline (script tag)', 11_900),
      size('lifeline (Socket without the capabilities)', 5_900),
      size('lifeline: streams (capability)', 1_400),
      size('lifeline: persist (capability)', 1_500),
      size('lifeline: share (capability)', 1_536),
      size('lifeline: validation (capability)', 900),
      size('lifeline (ESM: Socket)', 6_500),
      size('lifeline (ESM: ReconnectingSocket)', 4_400),
      size('lifeline (all-in)', 6_600),
    ],
    perMessage: {
      receive: [
        cost('native', 1000, 1),
        cost('lifeline', 1050, 1.05),
        cost('lifeline (heartbeat on)', 1080, 1.08),
        cost('lifeline (ReconnectingSocket)', 1040, 1.04),
      ],
      send: [cost('native', 4, 1), cost('lifeline', 5, 1.25)],
      routing: [cost('hand-written', 2000, 1), cost('lifeline', 2100, 1.05)],
    },
    throughput: {
      small: [
        { lib: 'lifeline', messagesPerSecond: 1, megabytesPerSecond: 1, ratio: 1, samples: [] },
      ],
      large: [
        { lib: 'lifeline', messagesPerSecond: 1, megabytesPerSecond: 1, ratio: 0.9, samples: [] },
      ],
    },
    recovery: [],
    herd: [],
    memory: [
      { lib: 'lifeline', instances: 200, bytesPerInstance: 700, ratio: 1.25, retainedBytes: 100 },
    ],
    sources: [
      { path: 'packages/core/src/options.ts', lines: 297 },
      { path: 'packages/core/src/socket.ts', lines: 296 },
    ],
    streamCost: [cost('onMessage route', 100, 1), cost('stream message', 108, 1.08)],
  };
  change(results);
  return results;
}

const goal = (results: Measured, name: RegExp) => {
  const found = evaluateGoals(results).find((row) => name.test(row.goal));
  if (!found) throw new Error(`no goal matching ${name}`);
  return found;
};

describe('goals', () => {
  it('lists every row of issue 13 with the figure it started from, then issues 8 and 14', () => {
    const goals = evaluateGoals(run());
    expect(goals.map((row) => [row.issue, row.before])).toEqual([
      [13, '7,962 B'],
      [13, '— (built since)'],
      [13, '— (built since)'],
      [13, '— (built since)'],
      [13, '— (built since)'],
      [13, '— (built since)'],
      [13, '8,290 B (`Socket`, the only entry then)'],
      [13, '~100 ns/frame extra'],
      [13, '1.10×'],
      [13, '1.33×'],
      [13, '1.18×'],
      [13, '3.31× (1,842 B)'],
      [13, '+4,480 B over 200'],
      [13, '705 lines (`socket.ts`)'],
      [8, undefined],
      [8, undefined],
      [8, undefined],
      [8, undefined],
      [8, undefined],
      [14, undefined],
    ]);
    expect(goals.filter((row) => row.issue === 13).every((row) => row.met)).toBe(true);
  });

  it('reads the size of each entry from its own row', () => {
    const results = run();
    expect(goal(results, /issue 13's time/).measured).toBe('5,900 B');
    expect(goal(results, /as shipped/)).toMatchObject({
      target: '≤ 12,144 B',
      measured: '11,900 B',
      met: true,
    });
    expect(goal(results, /What share adds/)).toMatchObject({ measured: '1,536 B', met: true });
    expect(goal(results, /smaller entry/).measured).toBe('4,400 B');
    const reconnecting = results.size.findIndex((row) => /ReconnectingSocket/.test(row.name));
    results.size[reconnecting] = size('lifeline (ESM: ReconnectingSocket)', 4_501);
    expect(goal(results, /smaller entry/)).toMatchObject({ measured: '4,501 B', met: false });
    const persist = results.size.findIndex((row) => row.name === 'lifeline: persist (capability)');
    results.size[persist] = size('lifeline: persist (capability)', 1_537);
    expect(goal(results, /What persist adds/)).toMatchObject({ measured: '1,537 B', met: false });
  });

  it('reports the heartbeat-on receive ratio and its cost per frame over heartbeat off', () => {
    const on = goal(run(), /heartbeat \*\*on\*\*/);
    expect(on).toMatchObject({ target: '≤ 1.1× native', measured: '1.08× (+30 ns/frame vs off)' });
    expect(on.met).toBe(true);
    const off = goal(run(), /heartbeat off/);
    expect(off).toMatchObject({ measured: '1.05×', met: true });
  });

  it('shows three decimals where two would round across the target', () => {
    const within = (r: number) => r <= 1.1;
    expect(shownRatio(1.104, within)).toBe('1.104×');
    expect(shownRatio(1.096, within)).toBe('1.10×');
    expect(shownRatio(1.1, within)).toBe('1.10×');
    const results = run((r) => {
      r.perMessage.receive[1] = cost('lifeline', 1104, 1.104);
    });
    expect(goal(results, /heartbeat off/)).toMatchObject({ measured: '1.104×', met: false });
  });

  it("judges a stream message's cost against the plain onMessage route", () => {
    expect(goal(run(), /stream message/)).toMatchObject({
      target: '≤ 1.1× onMessage',
      measured: '1.08×',
      met: true,
    });
    const slow = run((r) => {
      r.streamCost = [cost('onMessage route', 100, 1), cost('stream message', 111, 1.11)];
    });
    expect(goal(slow, /stream message/)).toMatchObject({ measured: '1.11×', met: false });
  });

  it('holds the largest file under 300 lines and names it', () => {
    expect(goal(run(), /Largest file/)).toMatchObject({
      measured: '297 lines (`packages/core/src/options.ts`)',
      met: true,
    });
    const over = run((r) => {
      r.sources = [{ path: 'packages/core/src/socket.ts', lines: 300 }];
    });
    expect(goal(over, /Largest file/).met).toBe(false);
  });

  it('wants the heap back to baseline: under 16 B per instance', () => {
    const left = (bytes: number) =>
      goal(
        run((r) => {
          r.memory[0]!.retainedBytes = bytes;
        }),
        /closing/,
      );
    expect(left(16 * 200 - 1)).toMatchObject({ measured: '+3,199 B over 200', met: true });
    expect(left(16 * 200).met).toBe(false);
    expect(left(-40).measured).toBe('-40 B over 200');
  });

  it('never calls a goal met when it was not measured', () => {
    const empty = run((r) => {
      r.size = [];
      r.perMessage = { receive: [], send: [], routing: [] };
      r.throughput = { small: [], large: [] };
      r.memory = [];
      r.sources = [];
      r.streamCost = [];
    });
    for (const row of evaluateGoals(empty)) {
      expect(row, row.goal).toMatchObject({ measured: '—', met: null });
    }
  });
});

describe('goals tables', () => {
  it('puts the figures before and after side by side for issue 13, and keeps issue 8', () => {
    const results: BenchResults = { ...run(), goals: [] };
    results.goals = evaluateGoals(results);
    const [diet, benchmarks, streams] = goalsSections(results);
    expect(diet![0]).toBe('Goals of issue 13 (core diet)');
    expect(diet![1].split('\n')[0]).toMatch(
      /^\| goal +\| +before \(issue 13\) \| target +\| +measured \| result +\|$/,
    );
    expect(diet![1]).toMatch(/\| +7,962 B \| ≤ 6,000 B +\| +5,900 B \| met +\|/);
    expect(diet![1].split('\n')).toHaveLength(2 + 14);
    expect(benchmarks![0]).toBe('Goals of issue 8 (benchmarks)');
    expect(benchmarks![1]).toMatch(
      /\| Throughput, 1 MiB messages +\| ≥ 0.97× native \| +0.90× \| \*\*not met\*\* \|/,
    );
    expect(streams![0]).toBe('Goals of issue 14 (streams)');
    expect(streams![1]).toMatch(/\| ≤ 1.1× onMessage \| +1.08× \| met +\|/);
  });
});
