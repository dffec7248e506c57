#!/usr/bin/env node
// `pnpm run screenshot`: refreshes the README image, playground/screenshot.png, on purpose.
// Builds the packages, then runs the playground's Chromium test, which drives the page through
// connect, faults, a flood and a heartbeat and saves its screenshot where this script says.
// Tests alone never touch the tracked image. `node playground/screenshot.mjs out.png` writes
// elsewhere.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(process.argv[2] ?? join(root, 'playground', 'screenshot.png'));
const bin = (name) => join(root, 'node_modules', '.bin', name);

const run = (command, args, env = {}) => {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    console.error(`screenshot: \`${[command, ...args].join(' ')}\` failed; the image is unchanged`);
    process.exit(result.status ?? 1);
  }
};

run(bin('rollup'), ['-c', 'rollup.config.mjs', '--silent']);
run(bin('vitest'), ['run', '--project', 'e2e', 'playground/playground.e2e.test.ts'], {
  PLAYGROUND_SCREENSHOT: out,
});
console.log(`screenshot: wrote ${out}`);
