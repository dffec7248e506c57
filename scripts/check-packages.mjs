#!/usr/bin/env node
// Lints every built package as it would be published: publint (package.json/exports
// correctness) and arethetypeswrong (types resolve for ESM, CJS, bundlers and node10).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
let ok = true;
for (const dir of ['core', 'react', 'vue']) {
  const pkg = join(root, 'packages', dir);
  for (const command of [
    [bin('publint'), '--strict', '--pack', 'npm', pkg],
    [bin('attw'), '--pack', pkg, '--format', 'table-flipped', '--profile', 'node16'],
  ]) {
    const result = spawnSync(command[0], command.slice(1), { stdio: 'inherit', cwd: root });
    if (result.status !== 0) {
      console.error(`✗ ${command.slice(1).join(' ')} failed`);
      ok = false;
    }
  }
}
process.exit(ok ? 0 : 1);
