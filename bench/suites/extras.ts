// The capability suites of issues 15–18. Each lives in its own file and returns finished
// sections (title, table, method, goals), so adding one touches only this list.
import type { BenchConfig } from '../config';
import type { BenchBrowser } from '../harness/browser';
import type { ExtraSection } from '../results';
import { fleetSuite } from './fleet';
import { persistSuite } from './persist';
import { shareSuite } from './share';
import { validationSuite } from './validation';

export interface ExtraSuiteContext {
  config: BenchConfig;
  /** Present when `browser` is true. */
  browser?: BenchBrowser;
  log(message: string): void;
}

export interface ExtraSuite {
  /** The `--only=` name. */
  name: string;
  /** Needs the shared benchmark Chromium (false: Node only, or it launches its own). */
  browser: boolean;
  run(context: ExtraSuiteContext): Promise<ExtraSection[]>;
}

/** In issue order: 15 (share), 16 (persist), 17 (fleet), 18 (validation). */
export const EXTRA_SUITES: readonly ExtraSuite[] = [
  shareSuite,
  persistSuite,
  fleetSuite,
  validationSuite,
];
