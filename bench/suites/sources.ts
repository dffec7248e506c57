// Source file lengths: issue 13 wants every file in packages/*/src under 300 lines, so a
// newcomer can read any one of them in a sitting.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceFileRow } from '../results';

/** Lines as `wc -l` counts them, plus a last line without its newline. */
export function countLines(text: string): number {
  if (text === '') return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

// From this file's path with node:path alone (`new URL` is the DOM's in happy-dom unit tests).
const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every .ts/.tsx file under packages/<name>/src, longest first (ties by path). */
export function measureSources(root = REPOSITORY): SourceFileRow[] {
  const packages = join(root, 'packages');
  const rows: SourceFileRow[] = [];
  for (const pkg of readdirSync(packages, { withFileTypes: true })) {
    if (!pkg.isDirectory()) continue;
    const src = join(packages, pkg.name, 'src');
    let files: string[];
    try {
      files = readdirSync(src, { recursive: true, encoding: 'utf8' });
    } catch {
      continue; // a package without src/
    }
    for (const file of files) {
      if (!/\.tsx?$/.test(file)) continue;
      const path = join(src, file);
      rows.push({
        path: relative(root, path).split('\\').join('/'),
        lines: countLines(readFileSync(path, 'utf8')),
      });
    }
  }
  return rows.sort((a, b) => b.lines - a.lines || a.path.localeCompare(b.path));
}
