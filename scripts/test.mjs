#!/usr/bin/env node
// The whole test command: typecheck, lint, build, package checks, then every vitest suite
// (unit, integration, Chromium e2e, chaos), jest (the testing kit) and the docs build. Every step runs even when an
// earlier one failed, so one run shows everything that is wrong. Ends with the line
// `N passed, M failed` (vitest and jest tests plus one per other check), also kept in
// .reports/summary.txt for .ci/run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const reports = join(root, '.reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const only = process.argv.slice(2); // e.g. `pnpm test unit e2e` runs just those steps

/** `jsonReport`: the step writes vitest/jest JSON (`numPassedTests`, …) to .reports/<name>.json. */
/** @type {{ name: string, command: string[], jsonReport?: boolean }[]} */
const steps = [
  { name: 'typecheck', command: [bin('tsc'), '-p', 'tsconfig.json'] },
  { name: 'lint', command: [bin('biome'), 'check', '.'] },
  { name: 'build', command: [bin('rollup'), '-c', 'rollup.config.mjs', '--silent'] },
  { name: 'package', command: [process.execPath, 'scripts/check-packages.mjs'] },
  ...['unit', 'unit-react18', 'integration', 'e2e', 'chaos'].map((project) => ({
    name: project,
    jsonReport: true,
    command: [
      bin('vitest'),
      'run',
      '--project',
      project,
      '--passWithNoTests',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${join(reports, `${project}.json`)}`,
    ],
  })),
  // @lifeline/testing under jest too (its users' other runner), against the built dist/.
  {
    name: 'jest',
    jsonReport: true,
    command: [
      bin('jest'),
      '--config',
      'packages/testing/jest.config.mjs',
      '--json',
      `--outputFile=${join(reports, 'jest.json')}`,
    ],
  },
  ...(existsSync(join(root, 'scripts/docs.mjs'))
    ? [{ name: 'docs', command: [process.execPath, 'scripts/docs.mjs', '--check'] }]
    : []),
];

let passed = 0;
let failed = 0;
const rows = [];
/** Failed tests by step, repeated after the table so the tail of a CI log names them. */
const failures = [];
for (const step of steps) {
  if (only.length > 0 && !only.includes(step.name)) continue;
  console.log(`\n━━ ${step.name} ━━ ${step.command.slice(1).join(' ')}`);
  const started = Date.now();
  const result = spawnSync(step.command[0], step.command.slice(1), {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  let detail = ok ? 'ok' : `exit ${result.status ?? result.signal}`;
  if (step.jsonReport) {
    const file = join(reports, `${step.name}.json`);
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      passed += json.numPassedTests;
      const lines = failedTests(step.name, json);
      // A file that failed outside its tests (a hook, its import) counts as one failure, and so
      // does a suite that crashed before writing any.
      const stepFailed = Math.max(lines.length, json.numFailedTests, ok ? 0 : 1);
      failed += stepFailed;
      detail = `${json.numPassedTests} passed, ${stepFailed} failed, ${json.numPendingTests} skipped`;
      failures.push(...(lines.length > 0 ? lines : ok ? [] : [`- ${step.name}: ${detail}`]));
    } else {
      failed += 1;
      detail = `no report (${detail})`;
    }
  } else if (ok) {
    passed += 1;
  } else {
    failed += 1;
  }
  rows.push({ step: step.name, result: ok ? 'PASS' : 'FAIL', detail, seconds });
}

/** One line per failed test (or per file that failed outside a test), with its first error line. */
function failedTests(step, json) {
  const lines = [];
  const firstLine = (text) =>
    String(text ?? '')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim()
      .slice(0, 300) ?? '';
  for (const file of json.testResults ?? []) {
    const path = String(file.name).replace(root, '');
    const tests = (file.assertionResults ?? []).filter((test) => test.status === 'failed');
    for (const test of tests) {
      lines.push(`- ${step}: ${path} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    }
    if (tests.length === 0 && file.status === 'failed') {
      const why = firstLine(file.message) || 'failed outside its tests (a hook or its import)';
      lines.push(`- ${step}: ${path}: ${why}`);
    }
  }
  return lines;
}

console.log('\nstep         result  seconds  detail');
for (const row of rows) {
  console.log(
    `${row.step.padEnd(12)} ${row.result.padEnd(7)} ${row.seconds.padStart(7)}  ${row.detail}`,
  );
}
if (failures.length > 0) {
  console.log('\nfailed tests (the full output is above, under each step)');
  for (const line of failures.slice(0, 20)) console.log(line);
  if (failures.length > 20) console.log(`… and ${failures.length - 20} more`);
}
const summary = `${passed} passed, ${failed} failed`;
writeFileSync(join(reports, 'summary.txt'), `${summary}\n`);
console.log(`\n${summary}`);
process.exit(rows.every((row) => row.result === 'PASS') ? 0 : 1);
