// Bundle sizes: each library as a browser bundle, minified, then gzip and brotli compressed.
// Core gets a row per way to load it; its ESM rows bundle the production build (dist/index.mjs).
import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Plugin, transform } from 'esbuild';
import {
  BUILD_HINT,
  CORE_ESM,
  CORE_IIFE,
  CORE_IIFE_DEV,
  coreBuilt,
  fromRoot,
  ROOT,
} from '../harness/paths';
import type { SizeRow } from '../results';

/** Sizes of one piece of code: minified as given, gzip -9 and brotli -11. */
export function compressedSizes(code: string | Uint8Array): Omit<SizeRow, 'name' | 'how'> & {
  gzipBytes: number;
  brotliBytes: number;
} {
  const bytes = typeof code === 'string' ? Buffer.from(code) : code;
  return {
    minBytes: bytes.byteLength,
    gzipBytes: gzipSync(bytes, { level: 9 }).byteLength,
    brotliBytes: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      },
    }).byteLength,
  };
}

/** Minified ESM bundle of `source` (an entry module's text), as a user's bundler would ship it. */
export async function minifiedBundle(source: string, external: string[] = []): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    external,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

const jsPath = (path: string) => JSON.stringify(path);

/** Core all-in: every export of the built ESM entry, eventemitter3 included. */
export const coreAllIn = () => minifiedBundle(`export * from ${jsPath(CORE_ESM)};`);

/** The names the built ESM entry exports. */
async function coreExports(): Promise<string[]> {
  const result = await build({
    entryPoints: [CORE_ESM],
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.values(result.metafile.outputs).flatMap((output) => output.exports);
}

/** Tree-shaken ESM bundle of one export of the built core, or undefined when it is not exported. */
export async function coreExport(name: string): Promise<string | undefined> {
  if (!(await coreExports()).includes(name)) return undefined;
  return minifiedBundle(`export { ${name} } from ${jsPath(CORE_ESM)};`);
}

/** The documented smaller entry (issue 13): a reconnecting WebSocket without messaging. */
export const SMALL_ENTRY = 'ReconnectingSocket';

interface Entry {
  name: string;
  source: string;
  external?: string[];
}

const PEERS: Entry[] = [
  { name: 'reconnecting-websocket', source: `export { default } from 'reconnecting-websocket';` },
  { name: 'partysocket', source: `export { WebSocket } from 'partysocket';` },
  { name: 'sockette', source: `export { default } from 'sockette';` },
  {
    name: 'websocket-ts',
    source: `export { WebsocketBuilder, ConstantBackoff } from 'websocket-ts';`,
  },
  { name: 'robust-websocket', source: `export { default } from 'robust-websocket';` },
];

const ADAPTER_EXTERNALS = ['react', 'react/*', 'vue', 'svelte', 'svelte/*', '@lifeline/core'];

/** One row per way to load core: both script tags, each ESM entry tree-shaken, all-in. */
async function coreRows(): Promise<SizeRow[]> {
  const rows: SizeRow[] = [];
  const missing = (what: string) => process.stderr.write(`! ${what}: left out. ${BUILD_HINT}\n`);
  if (existsSync(CORE_IIFE)) {
    rows.push({
      name: 'lifeline (script tag)',
      how: 'dist/lifeline.iife.min.js, production',
      ...compressedSizes(readFileSync(CORE_IIFE)),
    });
  } else missing(`${CORE_IIFE} is missing`);
  if (existsSync(CORE_IIFE_DEV)) {
    // Not minified and not for production: only its size on disk means something.
    rows.push({
      name: 'lifeline (script tag, development)',
      how: 'dist/lifeline.iife.js, unminified, as shipped',
      minBytes: readFileSync(CORE_IIFE_DEV).byteLength,
      gzipBytes: null,
      brotliBytes: null,
    });
  } else missing(`${CORE_IIFE_DEV} is missing`);
  // MessagingSocket is Socket without streams: the difference is what streams cost.
  for (const name of ['Socket', 'MessagingSocket', SMALL_ENTRY]) {
    const code = await coreExport(name);
    if (code === undefined) {
      process.stderr.write(
        `! dist/index.mjs does not export ${name} yet: its size row is left out.\n`,
      );
      continue;
    }
    rows.push({
      name: `lifeline (ESM: ${name})`,
      how: `esbuild --minify, only \`${name}\``,
      ...compressedSizes(code),
    });
  }
  rows.push({
    name: 'lifeline (all-in)',
    how: 'esbuild --minify, every export',
    ...compressedSizes(await coreAllIn()),
  });
  return rows;
}

/** Module stubs: source path under packages/core/src (or `eventemitter3`) → the stub's text. */
type Stubs = Record<string, string>;
const EMITTER_PACKAGE = 'eventemitter3';

/**
 * A capability, or a part of an entry, whose cost gets its own row: the modules that make it,
 * each replaced by a stub that exports the same names doing nothing (the hooks that call them
 * stay, so the row is a slight underestimate).
 */
interface Part {
  name: string;
  stubs: Stubs;
}

const CAPABILITIES: Part[] = [
  {
    name: 'streams',
    stubs: { 'streams.ts': 'export class StreamRegistry {}' },
  },
  {
    name: 'persist',
    stubs: {
      'persist/durable-socket.ts':
        "export { MessagingSocket as DurableSocket } from '../messaging-socket';",
    },
  },
  {
    name: 'share',
    stubs: { 'share/session.ts': 'export const shareSession = () => undefined;' },
  },
  {
    name: 'validation',
    stubs: {
      'validation/inbound.ts': 'export class Inbound {}',
      'validation/schemas.ts':
        'export const schemaTable = () => undefined, streamTables = schemaTable, tableFor = schemaTable;',
    },
  },
];

// Private members renamed the way rollup.config.mjs renames them in dist/, and `DEV` folded
// to false, so the source build compares with the production files.
const KEEP = ['__proto__', '_events', '_eventsCount'];

/** `entry` (an export of core) bundled from packages/core/src as production, with `stubs` in. */
async function sourceBundle(entry: string, stubs: Stubs): Promise<string> {
  const src = fromRoot('packages/core/src/').split('\\').join('/');
  const swap: Plugin = {
    name: 'module-stubs',
    setup(builder) {
      const emitter = stubs[EMITTER_PACKAGE];
      if (emitter !== undefined) {
        builder.onResolve({ filter: /^eventemitter3$/ }, () => ({ path: 'x', namespace: 'stub' }));
        builder.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: emitter }));
      }
      builder.onLoad({ filter: /packages[\\/]core[\\/]src[\\/].*\.ts$/ }, (args) => {
        const path = args.path.split('\\').join('/').slice(src.length);
        if (path === 'dev.ts') return { contents: 'export const DEV = false;', loader: 'ts' };
        const stub = stubs[path];
        return stub === undefined ? undefined : { contents: stub, loader: 'ts' };
      });
    },
  };
  const result = await build({
    stdin: { contents: `export { ${entry} } from ${jsPath(`${src}index.ts`)};`, resolveDir: ROOT },
    bundle: true,
    minifySyntax: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    plugins: [swap],
    write: false,
    logLevel: 'silent',
  });
  // Renamed in a second pass, after the es2020 lowering, as in dist/: renaming while lowering
  // makes `this[o="_x"]??(this[o]=…)` of a `this._x ??=`, longer than dist's `this.S??(this.S=…)`.
  const minified = await transform(result.outputFiles[0]!.text, {
    minify: true,
    format: 'esm',
    mangleProps: /^_/,
    mangleCache: Object.fromEntries(KEEP.map((name) => [name, false])),
    logLevel: 'silent',
  });
  return minified.code;
}

/** What each part adds to `entry`: the entry whole, minus the entry with the part stubbed out. */
async function partRows(
  entry: string,
  parts: Part[],
  label: (part: Part) => string,
): Promise<SizeRow[]> {
  const whole = compressedSizes(await sourceBundle(entry, {}));
  const rows: SizeRow[] = [];
  for (const part of parts) {
    const without = compressedSizes(await sourceBundle(entry, part.stubs));
    rows.push({
      name: label(part),
      how: `\`${entry}\` from source, production, minified: with − without ${part.name}`,
      minBytes: whole.minBytes - without.minBytes,
      gzipBytes: whole.gzipBytes - without.gzipBytes,
      brotliBytes: whole.brotliBytes - without.brotliBytes,
    });
  }
  return rows;
}

const allStubs = (parts: Part[]): Stubs => Object.assign({}, ...parts.map((part) => part.stubs));

/**
 * What each capability adds to `Socket` (with it, minus with its modules stubbed out), and
 * `Socket` with all of them stubbed out: the features issue 13 set its 6,000 B goal for.
 */
export async function capabilityRows(): Promise<SizeRow[]> {
  const rows = await partRows('Socket', CAPABILITIES, (c) => `lifeline: ${c.name} (capability)`);
  rows.push({
    name: 'lifeline (Socket without the capabilities)',
    how: `\`Socket\` from source, production, minified, without ${CAPABILITIES.map((c) => c.name).join(', ')}`,
    ...compressedSizes(await sourceBundle('Socket', allStubs(CAPABILITIES))),
  });
  return rows;
}

/**
 * The parts of the smaller entry that issue 13 asks it to keep, priced one by one, so the
 * choice its size goal needs (a smaller event base, or parts made opt-in) can be weighed in
 * bytes. The stubs keep the call sites (log records, queue hooks), so each row is a slight
 * underestimate.
 */
const SMALL_ENTRY_PARTS: Part[] = [
  {
    name: 'eventemitter3 (the event base)',
    stubs: { [EMITTER_PACKAGE]: 'export class EventEmitter {}' },
  },
  {
    name: 'the option checks',
    stubs: {
      // The defaults stay (as in options.ts), so only the checks are priced.
      'options.ts': `const RECONNECT = { initialDelay: 1000, maxDelay: 30000, factor: 2, jitter: 'full', maxAttempts: Infinity, resetAfter: 5000 };
const QUEUE = { maxMessages: 1000, maxBytes: 1048576, maxAge: Infinity, overflow: 'drop-oldest' };
const DEFAULTS = { binaryType: 'blob', autoConnect: true, connectTimeout: 10000, reconnect: RECONNECT, reconnectEnabled: true, queue: QUEUE, network: true, wake: true };
export const resolveOptions = (options: object = {}) => Object.assign(Object.create(DEFAULTS), options);
// What the full Socket's option modules import; the smaller entry does not use them.
export const invalid = () => new Error(), option = (_: string, value: unknown, fallback: unknown) => value ?? fallback;
export const section = option, fields = option, fn = () => {};`,
    },
  },
  {
    name: 'the queue',
    stubs: {
      'queue.ts':
        'export const byteLength = (data: any) => data.length, snapshot = (data: any) => data; export class Outbox {}',
    },
  },
  {
    name: 'DOM-style listeners and handler properties',
    stubs: {
      'dom-events.ts':
        'export const callHandler = () => {}, addDomListener = callHandler, removeDomListener = callHandler, unlinkDropped = callHandler;',
    },
  },
  {
    name: 'the debug logger',
    stubs: {
      'log.ts': 'export const redact = (text: string) => text, createLogger = () => () => {};',
    },
  },
  {
    name: 'wake awareness',
    stubs: { 'wake.ts': 'export const watchWake = () => {}, unwatchWake = watchWake;' },
  },
  {
    name: 'network awareness',
    stubs: {
      'network.ts':
        'export const isOnline = () => true, watchNetwork = () => {}, unwatchNetwork = watchNetwork;',
    },
  },
];

/** What each part of the smaller entry costs, and the entry with all of them stubbed out. */
export async function smallEntryRows(): Promise<SizeRow[]> {
  const rows = await partRows(
    SMALL_ENTRY,
    SMALL_ENTRY_PARTS,
    (part) => `lifeline: ${SMALL_ENTRY} part: ${part.name}`,
  );
  rows.push({
    name: `lifeline (${SMALL_ENTRY} without those parts)`,
    how: `\`${SMALL_ENTRY}\` from source, production, minified, every part above stubbed out`,
    ...compressedSizes(await sourceBundle(SMALL_ENTRY, allStubs(SMALL_ENTRY_PARTS))),
  });
  return rows;
}

export async function measureSizes(): Promise<SizeRow[]> {
  if (!coreBuilt()) throw new Error(`Lifeline is not built (${CORE_ESM} missing). ${BUILD_HINT}`);
  const rows = await coreRows();
  rows.push(...(await capabilityRows()));
  rows.push(...(await smallEntryRows()));
  for (const adapter of ['react', 'vue', 'svelte']) {
    const dist = fromRoot(`packages/${adapter}/dist/index.mjs`);
    if (!existsSync(dist)) continue;
    const code = await minifiedBundle(`export * from ${jsPath(dist)};`, ADAPTER_EXTERNALS);
    rows.push({
      name: `@lifeline/${adapter}`,
      how: 'esbuild --minify, without the framework and core',
      ...compressedSizes(code),
    });
  }
  for (const peer of PEERS) {
    rows.push({
      name: peer.name,
      how: 'esbuild --minify',
      ...compressedSizes(await minifiedBundle(peer.source, peer.external)),
    });
  }
  return rows;
}
