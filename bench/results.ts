// The shape of one benchmark run's results: written as JSON, rendered to Markdown and SVG.
import type { BenchConfig } from './config';

export interface SizeRow {
  name: string;
  /** What was measured, e.g. "IIFE (dist)" or "esbuild --minify". */
  how: string;
  /** Bytes as measured: minified, or as shipped for a file that is not minified. */
  minBytes: number;
  /** null where compressing is not meaningful (an unminified development file). */
  gzipBytes: number | null;
  brotliBytes: number | null;
}

/** A timing compared with the baseline row of the same table. */
export interface CostRow {
  lib: string;
  nsPerMessage: number;
  /** Against the native (or hand-written) baseline. */
  ratio: number | null;
  samples: number[];
}

export interface ThroughputRow {
  lib: string;
  messagesPerSecond: number;
  megabytesPerSecond: number;
  ratio: number | null;
  samples: number[];
}

export interface RecoveryRow {
  lib: string;
  downMs: number;
  /** Median ms from the server listening again to the library's next `open`; null if never. */
  recoverMs: number | null;
  /** Median connection attempts made while the server was down. */
  attemptsWhileDown: number;
  /** Trials in which the library reconnected before the deadline. */
  recovered: number;
  trials: number;
}

export interface HerdRow {
  lib: string;
  clients: number;
  reconnected: number;
  p10: number | null;
  p50: number | null;
  p90: number | null;
}

export interface MemoryRow {
  lib: string;
  instances: number;
  /** JS heap per idle connected instance, bytes. */
  bytesPerInstance: number;
  ratio: number | null;
  /** Heap left after closing all instances, over the baseline, bytes (can be negative noise). */
  retainedBytes: number;
  /**
   * The part of it that is JS data (objects, closures, strings…), from heap snapshots: what a
   * leak would leave. The rest is mostly compiled code, which grows as hot functions tier up.
   */
  retainedDataBytes?: number;
}

/** Messages delivered to the app per second while a stream's missed messages are replayed. */
export interface ReplayRow {
  lib: string;
  /** Messages replayed per sample. */
  messages: number;
  /** Median messages per second, from `open` to the last delivery. */
  messagesPerSecond: number;
  /** Median ms from `open` to the last delivery. */
  ms: number;
  /** Against the hand-written baseline on the same server. */
  ratio: number | null;
  samples: number[];
}

/** One server fanning messages out to many connected Node clients. */
export interface FanoutRow {
  server: string;
  clients: number;
  /** Messages published per sample; each goes to every client. */
  messages: number;
  /** Median messages published per second, counted once every client had every one of them. */
  messagesPerSecond: number;
  /** The same as frames delivered per second (`messagesPerSecond × clients`). */
  deliveriesPerSecond: number;
  /** Against socket.io in the same run. */
  ratio: number | null;
  /** Median CPU time over wall time of the server's process (100 = one core busy). */
  serverCpuPercent: number;
  /** The same for the process holding the clients. */
  clientCpuPercent: number;
  samples: number[];
}

/** One TypeScript source file of a package, and its length. */
export interface SourceFileRow {
  /** Relative to the repository root, e.g. `packages/core/src/socket.ts`. */
  path: string;
  lines: number;
}

export interface GoalRow {
  /** The issue that set the goal: 8 (benchmarks), 13 (core diet), 14 (streams) or 15–18. */
  issue: 8 | 13 | 14 | 15 | 16 | 17 | 18;
  goal: string;
  /** The figure the issue started from, as it states it; absent where it gave none. */
  before?: string;
  target: string;
  measured: string;
  /** null when it could not be measured (e.g. Lifeline not built). */
  met: boolean | null;
}

export interface MachineNotes {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  chromium: string;
  date: string;
  /** 1-minute load average when the run started: other work on the machine skews timings. */
  loadAverage?: number;
}

export interface BenchResults {
  config: BenchConfig;
  machine: MachineNotes;
  size: SizeRow[];
  perMessage: { receive: CostRow[]; send: CostRow[]; routing: CostRow[] };
  throughput: { small: ThroughputRow[]; large: ThroughputRow[] };
  recovery: RecoveryRow[];
  herd: HerdRow[];
  memory: MemoryRow[];
  /** Every .ts/.tsx file under packages/<name>/src, longest first (empty when not measured). */
  sources: SourceFileRow[];
  /** A stream message against a plain `onMessage` route, per message (absent in older runs). */
  streamCost?: CostRow[];
  replay?: ReplayRow[];
  fanout?: FanoutRow[];
  /** Tables of the capability suites (share, persist, fleet, validation), in suite order. */
  extras?: ExtraSection[];
  goals: GoalRow[];
}

/**
 * One table a capability suite (`bench/suites/extras.ts`) measured and formatted itself, so a
 * new capability adds a file instead of editing every report module.
 */
export interface ExtraSection {
  /** The suite that produced it, as named by `--only=`. */
  suite: string;
  title: string;
  /** Column headers; a header starting with a space is right-aligned. */
  headers: string[];
  rows: string[][];
  /** How it was measured, printed under the table on the page. */
  method: string;
  /** The issue's goals this table decides. */
  goals?: GoalRow[];
}
