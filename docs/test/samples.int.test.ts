// Every code sample in the docs is inline Markdown (readable on GitHub and in editors) and is
// typechecked here against the workspace sources; see samples.ts for the markers a block can
// carry. A sample with a type error fails this test with its page and line.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  collectSamples,
  compareCopies,
  docsRoot,
  type Page,
  readPages,
  typecheckSamples,
} from './samples';

// The adapter guides show fragments (`root.render(<App />)`, `import App from './App.vue'`)
// that need an app around them; they are not compiled yet.
const NOT_CHECKED = ['guide/react.md', 'guide/vue.md'];

// A page with known mistakes, compiled in the same program: proves the check can fail and
// that it points at the right Markdown line.
const FIXTURE: Page = {
  path: 'test/fixture.md',
  text: [
    '# Fixture', //                                          1
    '```ts', //                                              2
    "const n: number = 'one';", //                          3: TS2322
    'console.log(n);',
    '```',
    '<!-- not-compiled: shows a signature -->', //           6
    '```ts',
    'new Socket(url, options?)',
    '```',
    '```ts', //                                              10
    'export const a = 1;',
    '```',
    '<!-- continues-previous -->',
    '',
    '```ts', //                                              15
    'export const b: string = a;', //                        16: TS2322, after the first part
    '```',
    '```html',
    '<script src="/lifeline.iife.min.js"></script>',
    '<script>',
    '  Lifeline.createSocket(42);', //                       21: TS2345, in an inline script
    '</script>',
    '```',
    '<!-- excerpt-of: ../examples/server.ts -->',
    '```ts',
    'socket.send(\'{"type":"PONG"}\');', //                 not in server.ts
    '```',
  ].join('\n'),
};

const pages = readPages(NOT_CHECKED);
const found = collectSamples(pages);
const fixture = collectSamples([FIXTURE]);
let errors: string[] = [];

beforeAll(() => {
  // One program for both: building it is the slow part (a few seconds).
  const copied = found.copies.filter((copy) => copy.whole).map((copy) => copy.file);
  errors = typecheckSamples([...found.samples, ...fixture.samples], copied);
}, 60_000);

describe('docs code samples', () => {
  it('are found on the pages, and the ones not compiled are listed with a reason', () => {
    const blocks = found.samples.reduce((sum, sample) => sum + sample.parts.length, 0);
    const skipped = found.skipped.map(
      ({ block, reason }) => `docs/${block.page}:${block.line - 1} (${reason})`,
    );
    console.info(
      `docs samples: ${blocks} blocks compiled as ${found.samples.length} modules, ` +
        `${found.copies.length} compared with their file, ${skipped.length} not compiled` +
        skipped.map((line) => `\n  - ${line}`).join(''),
    );
    expect(found.problems).toEqual([]);
    // 24 compiled blocks when the samples became inline; far fewer means the extraction
    // broke, not that the docs lost their samples.
    expect(blocks).toBeGreaterThanOrEqual(20);
    expect(found.skipped.every(({ reason }) => reason.length > 0)).toBe(true);
  });

  it('typecheck against the workspace sources', () => {
    const own = errors.filter((error) => !error.startsWith(`docs/${FIXTURE.path}`));
    expect(own, 'fix these samples (or mark a deliberate one <!-- not-compiled: why -->)').toEqual(
      [],
    );
  });

  it('report a type error at its line in the Markdown', () => {
    const fixtureErrors = errors
      .filter((error) => error.startsWith(`docs/${FIXTURE.path}`))
      .map((error) => error.replace(/^(\S+ TS\d+).*$/s, '$1'));
    expect(fixtureErrors).toEqual([
      'docs/test/fixture.md:3:7 TS2322',
      'docs/test/fixture.md:16:14 TS2322',
      'docs/test/fixture.md:21:25 TS2345',
    ]);
    expect(fixture.skipped.map(({ reason }) => reason)).toEqual(['shows a signature']);
  });

  it('that copy a file match it (same-as: the whole file, excerpt-of: a run of lines)', () => {
    expect(found.copies.length).toBeGreaterThan(0);
    expect(compareCopies(found.copies)).toEqual([]);
    expect(compareCopies(fixture.copies)).toEqual([
      expect.stringContaining('docs/test/fixture.md:25: differs from examples/server.ts'),
    ]);
  });

  it('are all inline: no VitePress `<<<` include, which GitHub and editors do not show', () => {
    const includes = pages
      .flatMap((page) =>
        page.text.split('\n').map((line, i) => `docs/${page.path}:${i + 1}: ${line}`),
      )
      .filter((line) => /:\d+: <<< /.test(line));
    expect(includes).toEqual([]);
  });

  it('leave no file in docs/examples unshown', () => {
    const shown = found.copies.map((copy) => copy.file);
    const files = readdirSync(join(docsRoot, 'examples'))
      .filter((file) => !file.endsWith('.test.ts'))
      .map((file) => join(docsRoot, 'examples', file));
    expect(files.filter((file) => !shown.includes(file))).toEqual([]);
  });
});
