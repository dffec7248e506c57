// Size guard for core, one ceiling per way to load it, in bytes min+gzip of the production
// build. Issue 13's goals (script tag ≤ 6,000 B, the smaller `ReconnectingSocket` entry
// ≤ 4,500 B) are reported by `pnpm bench`; until they are met, these ceilings hold the line:
// any growth past one fails CI, so sizes can only move toward the goals. Each ceiling is the
// size last measured plus at most 64 B; lower it whenever core shrinks.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILD_HINT, CORE_ESM, CORE_IIFE } from './harness/paths';
import { compressedSizes, coreAllIn, coreExport, SMALL_ENTRY } from './suites/size';

interface Budget {
  entry: string;
  /** What CI enforces now. */
  ceiling: number;
  /** The product goal, if the issue set one. */
  goal?: number;
  code(): Promise<string | Uint8Array>;
}

/** The bundle of one export, failing (not skipping) when the build does not export it. */
async function exported(name: string): Promise<string> {
  const code = await coreExport(name);
  if (code === undefined) throw new Error(`dist/index.mjs does not export ${name}. ${BUILD_HINT}`);
  return code;
}

// What each capability after the core diet adds to the full build is measured by `pnpm bench`
// (rows "lifeline: <capability> (capability)"; issue 13 allows each 1.5 KB = 1,536 B): streams
// ~1,370 B, validation ~750 B, share ~2,180 B (crashed-tab detection), persist ~2,830 B. Persist
// grew ~310 B when queued sends stopped allocating a durable entry each (issue 16's throughput),
// and ~200 B when, with share, the leader became the one that takes over what gone tabs left
// (and waits for live ones to go); share and persist are over their 1.5 KB. The smaller entry
// carries none of them. The three ceilings of entries with persist rose 30 B once, for a fix:
// a page going into the back/forward cache lets go of its WebSocket (Chromium 150 keeps a page
// with an open one out of the cache). All five fell 20–50 B on 2026-12-02 (one timer helper,
// a shorter URL scheme mapping); the three with persist then rose ~125 B, once, for a fix:
// with share, the leader also waits for tabs that wrote entries after its last claim
// (persist/owners.ts), which before waited for its next connection open.
const BUDGETS: Budget[] = [
  {
    entry: 'script tag (lifeline.iife.min.js)',
    ceiling: 16_190,
    goal: 6_000,
    code: async () => readFileSync(CORE_IIFE),
  },
  { entry: 'ESM, `Socket` only', ceiling: 16_800, code: () => exported('Socket') },
  {
    entry: 'ESM, `MessagingSocket` only (no streams, persist or share)',
    ceiling: 9_950,
    code: () => exported('MessagingSocket'),
  },
  {
    // Its code is what the core diet left (6,780 B now); the other entries' private members
    // take the shortest mangled names first, which costs it ~50 B of longer names.
    entry: `ESM, \`${SMALL_ENTRY}\` only`,
    ceiling: 6_810,
    goal: 4_500,
    code: () => exported(SMALL_ENTRY),
  },
  {
    entry: 'ESM, every export (all-in)',
    ceiling: 16_920,
    goal: 4_096,
    code: coreAllIn,
  },
];

describe('core size budget', () => {
  it('has a build to measure', () => {
    expect(existsSync(CORE_ESM), `${CORE_ESM} is missing. ${BUILD_HINT}`).toBe(true);
    expect(existsSync(CORE_IIFE), `${CORE_IIFE} is missing. ${BUILD_HINT}`).toBe(true);
  });

  it.each(BUDGETS)(
    'keeps $entry under $ceiling B min+gz',
    async ({ entry, ceiling, goal, code }) => {
      if (!existsSync(CORE_ESM)) throw new Error(`${CORE_ESM} is missing. ${BUILD_HINT}`);
      const { gzipBytes, minBytes } = compressedSizes(await code());
      // A broken bundle (e.g. an empty entry) would pass any budget; real core is far above 1 KiB.
      expect(minBytes, `${entry}: the minified bundle looks empty`).toBeGreaterThan(1024);
      const target = goal === undefined ? '' : ` (goal ${goal} B)`;
      expect(
        gzipBytes,
        `${entry} is ${gzipBytes} B min+gz, over its ${ceiling} B ceiling${target}`,
      ).toBeLessThanOrEqual(ceiling);
    },
  );
});
