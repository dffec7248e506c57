#!/usr/bin/env node
// `pnpm bench`: builds the packages if they are not built yet, then runs the benchmarks
// (bench/main.ts through tsx). Arguments pass through: --quick, --only=size,herd, --out=dir.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const built = ['packages/core/dist/index.mjs', 'packages/core/dist/lifeline.iife.min.js'].every(
  (file) => existsSync(`${root}/${file}`),
);
if (!built && existsSync(`${root}/packages/core/src/index.ts`)) {
  console.error('Building the packages first (npx rollup -c rollup.config.mjs)…');
  run(process.execPath, [
    `${root}/node_modules/rollup/dist/bin/rollup`,
    '-c',
    'rollup.config.mjs',
    '--silent',
  ]);
}
run(process.execPath, ['--import', 'tsx', 'bench/main.ts', ...process.argv.slice(2)]);
