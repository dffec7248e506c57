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

/**
 * A capability whose cost gets its own row: the modules that make it, each replaced by a stub
 * that exports the same names doing nothing (the hooks that call them stay, so the row is a
 * slight underestimate).
 */
interface Capability {
  name: string;
  /** Source path under packages/core/src → the stub module's text. */
  stubs: Record<string, string>;
}

const CAPABILITIES: Capability[] = [
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

/** `Socket` bundled from packages/core/src as production, with `stubs` swapped in. */
async function sourceSocket(stubs: Record<string, string>): Promise<string> {
  const src = fromRoot('packages/core/src/').split('\\').join('/');
  const swap: Plugin = {
    name: 'capability-stubs',
    setup(builder) {
      builder.onLoad({ filter: /packages[\\/]core[\\/]src[\\/].*\.ts$/ }, (args) => {
        const path = args.path.split('\\').join('/').slice(src.length);
        if (path === 'dev.ts') return { contents: 'export const DEV = false;', loader: 'ts' };
        const stub = stubs[path];
        return stub === undefined ? undefined : { contents: stub, loader: 'ts' };
      });
    },
  };
  const result = await build({
    stdin: { contents: `export { Socket } from ${jsPath(`${src}index.ts`)};`, resolveDir: ROOT },
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

/**
 * What each capability adds to `Socket` (with it, minus with its modules stubbed out), and
 * `Socket` with all of them stubbed out: the features issue 13 set its 6,000 B goal for.
 */
export async function capabilityRows(): Promise<SizeRow[]> {
  const full = compressedSizes(await sourceSocket({}));
  const rows: SizeRow[] = [];
  for (const capability of CAPABILITIES) {
    const without = compressedSizes(await sourceSocket(capability.stubs));
    rows.push({
      name: `lifeline: ${capability.name} (capability)`,
      how: `\`Socket\` from source, production, minified: with − without ${capability.name}`,
      minBytes: full.minBytes - without.minBytes,
      gzipBytes: full.gzipBytes - without.gzipBytes,
      brotliBytes: full.brotliBytes - without.brotliBytes,
    });
  }
  const allStubs = Object.assign({}, ...CAPABILITIES.map((capability) => capability.stubs));
  rows.push({
    name: 'lifeline (Socket without the capabilities)',
    how: `\`Socket\` from source, production, minified, without ${CAPABILITIES.map((c) => c.name).join(', ')}`,
    ...compressedSizes(await sourceSocket(allStubs)),
  });
  return rows;
}

export async function measureSizes(): Promise<SizeRow[]> {
  if (!coreBuilt()) throw new Error(`Lifeline is not built (${CORE_ESM} missing). ${BUILD_HINT}`);
  const rows = await coreRows();
  rows.push(...(await capabilityRows()));
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
