#!/usr/bin/env node
// `pnpm dev`: builds the core's script-tag bundle, rebuilds it on change, and serves the
// playground with its dev WebSocket server. PORT picks the port (default 8787);
// PLAYGROUND_ORIGINS (comma-separated) lets pages from other origins open /ws. Ctrl-C stops.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = fileURLToPath(new URL('..', import.meta.url));
// rollup.config.mjs uses paths relative to the repository root.
process.chdir(root);
register();

const { watch } = await import('rollup');
const { default: configs } = await import('../rollup.config.mjs');
const { parseOriginList, startDevServer } = await import('./server/index.ts');

// Only the IIFE build: the page loads nothing else, and skipping the .d.ts builds keeps
// rebuilds fast.
const iife = configs.filter((config) =>
  [config.output].flat().some((output) => output?.file?.endsWith('lifeline.iife.min.js')),
);
if (iife.length === 0) throw new Error('rollup.config.mjs has no lifeline.iife.min.js build');

const port = process.env.PORT === undefined ? 8787 : Number(process.env.PORT);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number (0–65535), got ${JSON.stringify(process.env.PORT)}`);
  process.exit(1);
}

let allowedOrigins;
try {
  allowedOrigins = parseOriginList(process.env.PLAYGROUND_ORIGINS ?? '');
} catch (error) {
  console.error(`PLAYGROUND_ORIGINS: ${error.message}`);
  process.exit(1);
}

console.log('core: building lifeline.iife.min.js (then watching packages/core/src)…');
const watcher = watch(iife.map((config) => ({ ...config, watch: { clearScreen: false } })));
const firstBuild = new Promise((resolve) => {
  watcher.on('event', (event) => {
    if (event.code === 'BUNDLE_END') {
      event.result.close();
      console.log(`core: built lifeline.iife.min.js in ${event.duration} ms (reload the page)`);
      resolve();
    } else if (event.code === 'ERROR') {
      event.result?.close();
      console.error(`core: build failed: ${event.error.message}`);
      resolve();
    }
  });
});
await firstBuild;

const server = await startDevServer({ port, allowedOrigins });
console.log(`Lifeline playground: ${server.url}`);
console.log(`WebSocket endpoint:  ${server.wsUrl}   (Ctrl-C to stop)`);
console.log(`Pages allowed on it: ${server.origins.join(', ')} (and clients without Origin)`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await Promise.all([watcher.close(), server.close()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
