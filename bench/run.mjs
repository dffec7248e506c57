#!/usr/bin/env node
// `pnpm bench`: builds the packages if they are not built yet, then runs the benchmarks
// (bench/main.ts through tsx). Arguments pass through: --quick, --only=size,herd, --out=dir.
// A build older than its sources is rebuilt before a publishing run (the full run writing
// docs/), so the published figures are those of the code beside them; other runs only warn,
// since rebuilding dist/ under someone else's running tests would pull it from under them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
const build = (why) => {
  console.error(`${why}: building the packages first (npx rollup -c rollup.config.mjs)…`);
  run(process.execPath, [
    `${root}/node_modules/rollup/dist/bin/rollup`,
    '-c',
    'rollup.config.mjs',
    '--silent',
  ]);
};

const DIST = ['packages/core/dist/index.mjs', 'packages/core/dist/lifeline.iife.min.js'];

/** Newest modification time of any file under `dir`, 0 when it does not exist. */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const args = process.argv.slice(2);
const publishing = !args.some((arg) => arg === '--quick' || /^--(only|out|render)=/.test(arg));
const hasSources = existsSync(`${root}/packages/core/src/index.ts`);
if (hasSources && !DIST.every((file) => existsSync(`${root}/${file}`))) build('Not built');
else if (hasSources) {
  const built = Math.min(...DIST.map((file) => statSync(`${root}/${file}`).mtimeMs));
  const stale = ['core', 'react', 'vue'].some(
    (pkg) => newest(`${root}/packages/${pkg}/src`) > built,
  );
  if (stale && publishing) build('packages/*/src changed since the last build');
  else if (stale) {
    console.error(
      '! packages/*/src changed since the last build: measuring the old dist/ (rebuild with `npx rollup -c rollup.config.mjs`).',
    );
  }
}
run(process.execPath, ['--import', 'tsx', 'bench/main.ts', ...args]);
