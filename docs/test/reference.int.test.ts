// The reference pages must cover the real API: every option of the core's option interfaces,
// every LifelineErrorCode, the close-code table as `defaultShouldReconnect` decides it, and
// reconnecting-websocket's real option names and defaults (read from node_modules).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultShouldReconnect } from '@lifeline/core';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const docs = fileURLToPath(new URL('..', import.meta.url));
// Biome pads markdown tables; compare with runs of spaces collapsed.
const read = (page: string) => readFileSync(join(docs, page), 'utf8').replace(/ {2,}/g, ' ');

// The core's public types, as the compiler sees them through the package entry point.
const entry = fileURLToPath(new URL('../../packages/core/src/index.ts', import.meta.url));
const program = ts.createProgram([entry], {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
});
const checker = program.getTypeChecker();
const exports = checker.getExportsOfModule(
  checker.getSymbolAtLocation(program.getSourceFile(entry)!)!,
);
const exported = (name: string) => {
  const found = exports.find((symbol) => symbol.name === name);
  if (!found) throw new Error(`@lifeline/core does not export ${name}`);
  return checker.getDeclaredTypeOfSymbol(
    found.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(found) : found,
  );
};
const propertiesOf = (name: string) =>
  exported(name)
    .getProperties()
    .map((p) => p.name);

describe('options page', () => {
  const page = read('reference/options.md');

  it.each([
    ['SocketOptions', ''],
    ['ReconnectOptions', 'reconnect.'],
    ['QueueOptions', 'queue.'],
    ['HeartbeatOptions', 'heartbeat.'],
    ['RequestOptions', ''],
  ])('documents every property of %s', (name, prefix) => {
    const properties = propertiesOf(name);
    expect(properties.length).toBeGreaterThan(0);
    // A row in a table, or a section of its own (`## \`reconnect\``).
    const documented = (p: string) =>
      page.includes(`| \`${prefix}${p}\` |`) || page.includes(`## \`${prefix}${p}\``);
    const missing = properties.filter((p) => !documented(p));
    expect(missing, 'add a table row for each of these to reference/options.md').toEqual([]);
  });
});

describe('errors page', () => {
  it('has a section for every LifelineErrorCode', () => {
    const codes = (exported('LifelineErrorCode') as ts.UnionType).types.map(
      (type) => (type as ts.StringLiteralType).value,
    );
    expect(codes).toContain('ERR_TIMEOUT');
    const page = read('reference/errors.md');
    const missing = codes.filter((code) => !page.includes(`## \`${code}\``));
    expect(missing).toEqual([]);
  });
});

describe('reconnect policy page', () => {
  it('states for each listed close code what defaultShouldReconnect does', () => {
    const rows = read('concepts/reconnect.md')
      .split('\n')
      .map((line) => line.match(/^\| (\d{4})(?:–(\d{4}))? \|.*\| (no|\*\*yes\*\*) \|$/))
      .filter((match) => match !== null);
    expect(rows.length).toBeGreaterThanOrEqual(15);
    for (const [, from, to, retried] of rows) {
      // 1006 and 1015 are never sent in a close frame: the browser reports them unclean.
      const wasClean = from !== '1006' && from !== '1015';
      for (const code of [Number(from), Number(to ?? from)])
        expect(defaultShouldReconnect({ code, reason: '', wasClean }), `close code ${code}`).toBe(
          retried !== 'no',
        );
    }
  });
});

describe('reconnecting-websocket migration page', () => {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('reconnecting-websocket'));
  const types = readFileSync(join(dist, 'reconnecting-websocket.d.ts'), 'utf8');
  const source = readFileSync(
    join(dist, readdirSync(dist).find((f) => f.endsWith('.mjs'))!),
    'utf8',
  );
  const page = read('migration/reconnecting-websocket.md');

  it('maps every option reconnecting-websocket really has', () => {
    const block = types.match(/type Options = \{([^}]*)\}/)?.[1] ?? '';
    const names = [...block.matchAll(/(\w+)\?:/g)].map((m) => m[1]);
    expect(names).toContain('maxReconnectionDelay');
    const missing = names.filter((name) => !page.includes(`| \`${name}\` |`));
    expect(missing).toEqual([]);
  });

  it('quotes its real defaults', () => {
    const defaults = source.match(/var DEFAULT = \{([^}]*)\}/)?.[1] ?? '';
    const value = (name: string) => defaults.match(new RegExp(`${name}: ([^,\\n]+)`))?.[1]?.trim();
    for (const name of [
      'maxReconnectionDelay',
      'reconnectionDelayGrowFactor',
      'minUptime',
      'connectionTimeout',
    ])
      expect(page, name).toContain(`| \`${name}\` | ${value(name)} |`);
    expect(value('minReconnectionDelay')).toBe('1000 + Math.random() * 4000');
    expect(page).toContain('| `minReconnectionDelay` | 1000 + random × 4000');
  });
});

describe('links to the API reference', () => {
  // docs/api is generated, not in the repository: a link to it is dead on GitHub and in a
  // fresh clone unless the text around it says how to get the reference there.
  const pages = readdirSync(docs, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md') && !/^(api|node_modules)[\\/]/.test(file))
    .map((file) => ({ file, paragraphs: read(file).split(/\n\s*\n/) }));

  it('say how to build it in a clone', () => {
    const linking = pages.flatMap(({ file, paragraphs }) =>
      paragraphs.filter((p) => /\]\((\.\.?\/)+api\//.test(p)).map((p) => ({ file, p })),
    );
    expect(linking.length).toBeGreaterThan(0);
    const bare = linking.filter(({ p }) => !p.includes('`npx -y pnpm@10 run docs`'));
    expect(bare.map(({ file }) => file)).toEqual([]);
  });

  it('never say `pnpm docs`, which is pnpm’s own command (it opens a browser)', () => {
    const wrong = pages.filter(({ paragraphs }) =>
      paragraphs.some((p) => /pnpm(@\d+)? docs\b/.test(p)),
    );
    expect(wrong.map(({ file }) => file)).toEqual([]);
  });
});
