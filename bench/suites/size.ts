// Bundle sizes: each library as a browser bundle, minified, then gzip and brotli compressed.
import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUILD_HINT, CORE_ESM, CORE_IIFE, coreBuilt, fromRoot, ROOT } from '../harness/paths';
import type { SizeRow } from '../results';

/** Sizes of one piece of code: minified as given, gzip -9 and brotli -11. */
export function compressedSizes(code: string | Uint8Array): Omit<SizeRow, 'name' | 'how'> {
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

const ADAPTER_EXTERNALS = ['react', 'react/*', 'vue', '@lifeline/core'];

export async function measureSizes(): Promise<SizeRow[]> {
  if (!coreBuilt()) throw new Error(`Lifeline is not built (${CORE_ESM} missing). ${BUILD_HINT}`);
  const rows: SizeRow[] = [];
  if (existsSync(CORE_IIFE)) {
    rows.push({
      name: 'lifeline (script tag)',
      how: 'dist/lifeline.iife.min.js',
      ...compressedSizes(readFileSync(CORE_IIFE)),
    });
  } else {
    process.stderr.write(`! ${CORE_IIFE} is missing: script-tag size left out. ${BUILD_HINT}\n`);
  }
  rows.push(
    {
      name: 'lifeline (drop-in Socket only)',
      how: 'esbuild --minify, tree-shaken',
      ...compressedSizes(await minifiedBundle(`export { Socket } from ${jsPath(CORE_ESM)};`)),
    },
    {
      name: 'lifeline (all-in)',
      how: 'esbuild --minify, every export',
      ...compressedSizes(await coreAllIn()),
    },
  );
  for (const adapter of ['react', 'vue']) {
    const dist = fromRoot(`packages/${adapter}/dist/index.mjs`);
    if (!existsSync(dist)) continue;
    const code = await minifiedBundle(`export * from ${jsPath(dist)};`, ADAPTER_EXTERNALS);
    rows.push({
      name: `@lifeline/${adapter}`,
      how: 'esbuild --minify, without react/vue/core',
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
