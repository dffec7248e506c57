// The hooks every chaos test file shares: undo each test's setup after it (in reverse order),
// optionally fail on `ws` error events nobody listened to, and flush the report at the end.
import { afterAll, afterEach, expect } from 'vitest';
import { type ChaosReport, chaosReport } from './chaos-report';
import { takeUnhandledErrors } from './guarded-ws';

export interface ChaosSuite {
  report: ChaosReport;
  /** Undo steps of the current test; run last-first after it, awaited one by one. */
  cleanup: Array<() => unknown>;
}

/** Registers the hooks for one chaos test file (pass `import.meta.url`). */
export function chaosSuite(
  fileUrl: string,
  { checkUnhandled = false }: { checkUnhandled?: boolean } = {},
): ChaosSuite {
  const report = chaosReport(fileUrl);
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    if (checkUnhandled) {
      expect(
        takeUnhandledErrors(),
        'ws error events nobody listened to (uncaught in Node)',
      ).toEqual([]);
    }
  });
  afterAll(() => report.flush());
  return { report, cleanup };
}
