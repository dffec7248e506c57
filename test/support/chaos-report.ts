// The chaos suite's summary: each test file records one row per scenario; in afterAll the
// rows go to .reports/chaos/<file>.json and the table of every file's rows is printed and
// written to .reports/chaos-summary.md. Files run one at a time, so merging on disk is safe.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPORTS = fileURLToPath(new URL('../../.reports/', import.meta.url));
const ROWS = join(REPORTS, 'chaos');

export interface ChaosRow {
  scenario: string;
  /** What was injected, e.g. `20 × SIGKILL`. */
  faults: string;
  sent: number;
  received: number;
  lost: number;
  duplicated: number;
  /** Anything else worth reading (timings, counts). */
  notes?: string;
}

export interface ChaosReport {
  add(row: ChaosRow): void;
  /** Writes this file's rows, prints the merged table, rewrites the summary markdown. */
  flush(): void;
}

const COLUMNS = ['scenario', 'faults', 'sent', 'received', 'lost', 'duplicated', 'notes'] as const;

function table(rows: ChaosRow[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line([...COLUMNS]),
    line(COLUMNS.map(() => '---')),
    ...rows.map((row) => line(COLUMNS.map((c) => String(row[c] ?? '').replaceAll('|', '\\|')))),
  ].join('\n');
}

/** The report of one chaos test file (pass `import.meta.url`). */
export function chaosReport(fileUrl: string): ChaosReport {
  const name = basename(fileURLToPath(fileUrl)).replace(/\.chaos\.test\.ts$/, '');
  const rows: ChaosRow[] = [];
  return {
    add: (row) => rows.push(row),
    flush() {
      mkdirSync(ROWS, { recursive: true });
      writeFileSync(
        join(ROWS, `${name}.json`),
        JSON.stringify({ at: new Date().toISOString(), rows }),
      );
      const all: ChaosRow[] = [];
      for (const file of readdirSync(ROWS).sort()) {
        if (!file.endsWith('.json')) continue;
        const saved = JSON.parse(readFileSync(join(ROWS, file), 'utf8')) as { rows: ChaosRow[] };
        all.push(...saved.rows);
      }
      const markdown = `# Chaos suite summary\n\n${table(all)}\n`;
      writeFileSync(join(REPORTS, 'chaos-summary.md'), markdown);
      console.log(
        `\nChaos summary (${name}; all files so far in .reports/chaos-summary.md)\n${table(all)}\n`,
      );
    },
  };
}
