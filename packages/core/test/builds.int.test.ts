// The two builds of core, as shipped in dist/: production (index.mjs, index.cjs,
// lifeline.iife.min.js) carries an error's code and a docs link, development
// (index.development.mjs/.cjs, lifeline.iife.js) the full message. Both throw the same codes
// and export the same names. The script-tag builds run in a `node:vm` context with no
// WebSocket, as a page without one would.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt } from '../../../test/support/build';
import type * as Core from '../src/index';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const DOCS = 'https://github.com/lifeline-ws/lifeline/blob/main/docs/reference/errors.md';

type Flavour = 'production' | 'development';
interface Build {
  file: string;
  flavour: Flavour;
  load(): Promise<typeof Core>;
}

const require = createRequire(import.meta.url);

/** Runs a script-tag build in a fresh context that has the Web APIs a page has, but no WebSocket. */
function loadScript(file: string): typeof Core {
  const context = createContext({
    URL,
    console,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    performance,
    TextEncoder,
  });
  runInContext(readFileSync(DIST + file, 'utf8'), context, { filename: file });
  return (context as { Lifeline: typeof Core }).Lifeline;
}

const BUILDS: Build[] = [
  { file: 'index.mjs', flavour: 'production', load: () => import(`${DIST}index.mjs`) },
  {
    file: 'index.development.mjs',
    flavour: 'development',
    load: () => import(`${DIST}index.development.mjs`),
  },
  { file: 'index.cjs', flavour: 'production', load: async () => require(`${DIST}index.cjs`) },
  {
    file: 'index.development.cjs',
    flavour: 'development',
    load: async () => require(`${DIST}index.development.cjs`),
  },
  {
    file: 'lifeline.iife.min.js',
    flavour: 'production',
    load: async () => loadScript('lifeline.iife.min.js'),
  },
  {
    file: 'lifeline.iife.js',
    flavour: 'development',
    load: async () => loadScript('lifeline.iife.js'),
  },
];

const loaded = new Map<string, typeof Core>();

beforeAll(async () => {
  requireBuilt(...BUILDS.map((build) => DIST + build.file));
  for (const build of BUILDS) loaded.set(build.file, await build.load());
});

/** What `fn` throws, as plain data (errors from a vm context are not this realm's `Error`). */
function thrown(core: typeof Core, fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    const e = error as Core.LifelineError;
    return {
      lifeline: e instanceof core.LifelineError,
      name: e.name,
      code: e.code,
      message: e.message,
    };
  }
  throw new Error('expected a throw');
}

const badUrl = (core: typeof Core) =>
  thrown(core, () => new core.Socket('ftp://example.com/feed', { autoConnect: false }));
const badOption = (core: typeof Core) =>
  thrown(
    core,
    () => new core.Socket('wss://example.com/', { autoConnect: false, reconnect: { factor: 0.5 } }),
  );

/** The production message: the code and its entry in the errors reference, nothing else. */
const short = (code: string) => `${code}: ${DOCS}#${code.toLowerCase().replace(/_/g, '-')}`;

describe('the production and development builds', () => {
  it('export the same names from every file', () => {
    const names = (file: string) => Object.keys(loaded.get(file)!).sort();
    const reference = names('index.development.mjs');
    expect(reference).toContain('Socket');
    expect(reference).toContain('LifelineError');
    for (const build of BUILDS) expect(names(build.file), build.file).toEqual(reference);
  });

  it.each(BUILDS)('$file throws the stable codes for a bad URL and a bad option', ({ file }) => {
    const core = loaded.get(file)!;
    expect(badUrl(core)).toMatchObject({
      lifeline: true,
      name: 'LifelineError',
      code: 'ERR_INVALID_URL',
    });
    expect(badOption(core)).toMatchObject({
      lifeline: true,
      name: 'LifelineError',
      code: 'ERR_INVALID_OPTION',
    });
  });

  it.each(BUILDS.filter((build) => build.flavour === 'production'))(
    '$file carries the code and a docs link instead of the message',
    ({ file }) => {
      const core = loaded.get(file)!;
      expect(badUrl(core).message).toBe(short('ERR_INVALID_URL'));
      expect(badOption(core).message).toBe(short('ERR_INVALID_OPTION'));
    },
  );

  it.each(BUILDS.filter((build) => build.flavour === 'development'))(
    '$file carries the full message naming what was wrong',
    ({ file }) => {
      const core = loaded.get(file)!;
      const url = badUrl(core).message;
      expect(url).toContain('ftp://example.com/feed');
      expect(url).not.toContain(DOCS);
      const option = badOption(core).message;
      expect(option).toContain('reconnect.factor');
      expect(option).toContain('0.5');
      expect(option).not.toContain(DOCS);
    },
  );

  it.each(BUILDS.filter((build) => build.file.startsWith('lifeline.')))(
    '$file defines the global `Lifeline` and constructs a socket where there is no WebSocket',
    ({ file }) => {
      const core = loaded.get(file)!;
      const socket = new core.Socket('wss://example.com/live', { autoConnect: false });
      expect(socket.status).toBe('idle');
      expect(socket.url).toBe('wss://example.com/live');
      socket.dispose();
    },
  );

  it('keeps a server-sent error message as sent, even when empty', () => {
    for (const build of BUILDS) {
      const { LifelineError } = loaded.get(build.file)!;
      const remote = new LifelineError('ERR_REMOTE', '', { message: '' });
      expect(remote.message, build.file).toBe('');
    }
  });
});

describe('the export map', () => {
  // Node resolves the package's own name from inside it, through `exports`.
  const resolve = (how: 'import' | 'require', conditions: string[]) => {
    const code =
      how === 'import'
        ? `console.log(import.meta.resolve('@lifeline/core'))`
        : `console.log(require.resolve('@lifeline/core'))`;
    const args = [
      ...conditions.map((condition) => `--conditions=${condition}`),
      ...(how === 'import' ? ['--input-type=module'] : []),
      '-e',
      code,
    ];
    const result = spawnSync(process.execPath, args, { cwd: PACKAGE, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    return result.stdout.trim().replace(/^file:\/\//, '');
  };

  it('gives the production files by default', () => {
    expect(resolve('import', [])).toBe(`${DIST}index.mjs`);
    expect(resolve('require', [])).toBe(`${DIST}index.cjs`);
  });

  it('gives the development files under the `development` condition', () => {
    expect(resolve('import', ['development'])).toBe(`${DIST}index.development.mjs`);
    expect(resolve('require', ['development'])).toBe(`${DIST}index.development.cjs`);
  });
});

// The message a production build shows must lead somewhere: every linked anchor exists.
it('links production messages to anchors the errors reference has', () => {
  const page = readFileSync(
    fileURLToPath(new URL('../../../docs/reference/errors.md', import.meta.url)),
    'utf8',
  );
  // An HTML anchor: the link must work on GitHub, which ignores VitePress's `{#id}`.
  const codes = [...page.matchAll(/^## `(ERR_[A-Z_]+)`$/gm)].map((match) => match[1]!);
  expect(codes.length).toBeGreaterThanOrEqual(12);
  for (const code of codes) {
    const anchor = short(code).split('#')[1];
    expect(page, code).toContain(`<a id="${anchor}"></a>\n\n## \`${code}\``);
  }
});
