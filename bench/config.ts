// Sizes of every benchmark: the full run that fills docs/benchmarks.md, and a tiny one for CI.

export interface BenchConfig {
  name: 'full' | 'quick';
  /** Interleaved rounds per measurement; the median is reported. */
  rounds: number;
  /** Run one unrecorded round first so the JIT has settled before anything counts. */
  warmup: boolean;
  /** Messages per per-message sample (over the fake transport). */
  perMessage: number;
  /** Small (~64 B) messages per throughput sample. */
  smallCount: number;
  smallSize: number;
  /** Binary messages per throughput sample (1 MiB each in the full run). */
  largeCount: number;
  largeSize: number;
  /** Server downtimes of the recovery scenarios, and trials of each. */
  recoveryDownMs: number[];
  recoveryTrials: number;
  /** How long to wait for a library to come back before calling it "never". */
  recoveryDeadlineMs: number;
  herdClients: number;
  /** Idle connected instances per library for the memory measurement. */
  memoryInstances: number;
  /** Measure each library's memory in its own fresh page (exact but slow: a page costs ~1 s). */
  memoryFreshPages: boolean;
  /** Stream messages published while the page's socket is down, then replayed on reconnect. */
  replayMessages: number;
  /** Node clients connected to each server of the fan-out comparison. */
  fanoutClients: number;
  /** Messages each server fans out to all of them per sample. */
  fanoutMessages: number;
}

export const FULL: BenchConfig = {
  name: 'full',
  rounds: 5,
  warmup: true,
  perMessage: 200_000,
  smallCount: 50_000,
  smallSize: 64,
  largeCount: 50,
  largeSize: 1024 * 1024,
  recoveryDownMs: [0, 2000],
  recoveryTrials: 3,
  recoveryDeadlineMs: 15_000,
  herdClients: 200,
  // Chromium allows 255 WebSockets per browser in total, so 1,000 real ones cannot be open.
  memoryInstances: 200,
  memoryFreshPages: true,
  replayMessages: 10_000,
  fanoutClients: 1_000,
  fanoutMessages: 200,
};

export const QUICK: BenchConfig = {
  name: 'quick',
  rounds: 1,
  warmup: false,
  perMessage: 5_000,
  smallCount: 50,
  smallSize: 64,
  largeCount: 1,
  largeSize: 256 * 1024,
  recoveryDownMs: [0],
  recoveryTrials: 1,
  recoveryDeadlineMs: 2_000,
  herdClients: 3,
  memoryInstances: 5,
  memoryFreshPages: false,
  replayMessages: 200,
  fanoutClients: 20,
  fanoutMessages: 20,
};

/** Numeric fields a command-line flag may override, e.g. `--smallCount=20000`. */
const OVERRIDABLE = [
  'rounds',
  'perMessage',
  'smallCount',
  'largeCount',
  'recoveryTrials',
  'recoveryDeadlineMs',
  'herdClients',
  'memoryInstances',
  'replayMessages',
  'fanoutClients',
  'fanoutMessages',
] as const;

/** `base` with `--name=value` flags applied; unknown or non-numeric values throw. */
export function withOverrides(base: BenchConfig, argv: readonly string[]): BenchConfig {
  const config = { ...base };
  for (const arg of argv) {
    const match = /^--(\w+)=(.*)$/.exec(arg);
    if (!match || !OVERRIDABLE.includes(match[1] as (typeof OVERRIDABLE)[number])) continue;
    const value = Number(match[2]);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${arg}: expected a positive integer`);
    config[match[1] as (typeof OVERRIDABLE)[number]] = value;
  }
  return config;
}
