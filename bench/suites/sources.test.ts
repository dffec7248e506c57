import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withVariants } from './per-message';
import { countLines, measureSources } from './sources';

describe('countLines', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['a\n', 1],
    ['a\nb', 2],
    ['a\n\nb\n', 3],
  ])('counts %j as %d lines', (text, lines) => {
    expect(countLines(text)).toBe(lines);
  });
});

describe('measureSources', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('lists every .ts/.tsx file under packages/*/src, longest first', () => {
    root = mkdtempSync(join(tmpdir(), 'lifeline-sources-'));
    const write = (path: string, lines: number) => {
      mkdirSync(join(root!, path, '..'), { recursive: true });
      writeFileSync(join(root!, path), 'x\n'.repeat(lines));
    };
    write('packages/core/src/socket.ts', 12);
    write('packages/core/src/deep/nested.ts', 30);
    write('packages/react/src/hook.tsx', 20);
    write('packages/react/src/notes.md', 99);
    write('packages/core/test/socket.test.ts', 500);
    mkdirSync(join(root, 'packages/empty'), { recursive: true });
    expect(measureSources(root)).toEqual([
      { path: 'packages/core/src/deep/nested.ts', lines: 30 },
      { path: 'packages/react/src/hook.tsx', lines: 20 },
      { path: 'packages/core/src/socket.ts', lines: 12 },
    ]);
  });

  it('finds the repository’s own sources', () => {
    const rows = measureSources();
    expect(rows.map((row) => row.path)).toContain('packages/core/src/socket.ts');
    expect(rows[0]!.lines).toBeGreaterThanOrEqual(rows.at(-1)!.lines);
  });
});

describe('withVariants', () => {
  it('lists the Lifeline variants right after lifeline, and none without it', () => {
    expect(withVariants(['native', 'lifeline', 'sockette'], ['lifeline (x)'])).toEqual([
      'native',
      'lifeline',
      'lifeline (x)',
      'sockette',
    ]);
    expect(withVariants(['native', 'sockette'], ['lifeline (x)'])).toEqual(['native', 'sockette']);
  });
});
