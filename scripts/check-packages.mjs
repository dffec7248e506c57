#!/usr/bin/env node
// Lints every built package as it would be published:
//   - the packed file list (`npm pack --dry-run`): a README and a LICENSE ship in every tarball;
//   - package.json metadata: license, and repository/homepage/bugs that are real URLs, not
//     placeholders;
//   - the README as npm shows it: only absolute links (npm renders it away from the repo, so a
//     relative link is dead there);
//   - publint (package.json/exports correctness) and arethetypeswrong (types resolve for ESM,
//     CJS, bundlers and node10).
// Any problem fails the run; every package and check runs anyway, so one run shows them all.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const PACKAGES = ['core', 'react', 'vue', 'svelte', 'server', 'conformance', 'testing'];

/** Hosts that only ever stand in for a real address. */
const isPlaceholderHost = (host) =>
  host === 'localhost' ||
  /(^|\.)(example|invalid|test|localhost)$/.test(host) ||
  /(^|\.)example\.(com|org|net)$/.test(host);

/** The URL in `value` (a `git+https://…` prefix allowed), or undefined when it is not one. */
function parseUrl(value) {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value.replace(/^git\+/, ''));
  } catch {
    return undefined;
  }
}

/**
 * Problems with the file list of a packed tarball (paths relative to the package).
 * @param {string[]} files
 * @returns {string[]}
 */
export function tarballProblems(files) {
  const problems = [];
  if (!files.some((file) => /^readme(\.md)?$/i.test(file)))
    problems.push('tarball has no README.md');
  if (!files.some((file) => /^licen[cs]e(\.md|\.txt)?$/i.test(file))) {
    problems.push('tarball has no LICENSE');
  }
  return problems;
}

/**
 * Problems with the metadata npm shows next to the README.
 * @param {Record<string, any>} pkg the package.json
 * @param {string} directory where the package lives in the repository, e.g. `packages/core`
 * @returns {string[]}
 */
export function metadataProblems(pkg, directory) {
  const problems = [];
  const checkUrl = (field, value) => {
    const url = parseUrl(value);
    if (!url) problems.push(`${field} is missing or not a URL: ${JSON.stringify(value)}`);
    else if (url.protocol !== 'https:') problems.push(`${field} must be an https URL: ${value}`);
    else if (isPlaceholderHost(url.hostname)) problems.push(`${field} is a placeholder: ${value}`);
  };
  if (typeof pkg.license !== 'string' || pkg.license === '') problems.push('license is missing');
  const repository = pkg.repository;
  if (typeof repository !== 'object' || repository === null) {
    problems.push('repository must be { type, url, directory }');
  } else {
    if (repository.type !== 'git') problems.push('repository.type must be "git"');
    checkUrl('repository.url', repository.url);
    if (repository.directory !== directory) {
      problems.push(`repository.directory must be "${directory}", got ${repository.directory}`);
    }
  }
  checkUrl('homepage', pkg.homepage);
  checkUrl('bugs', typeof pkg.bugs === 'object' && pkg.bugs !== null ? pkg.bugs.url : pkg.bugs);
  return problems;
}

/**
 * Link targets in a Markdown text that are not absolute: inline links and images, reference
 * definitions, and `href`/`src` attributes. Fenced code is skipped; `#anchor` links are fine.
 * @param {string} markdown
 * @returns {string[]}
 */
export function relativeLinks(markdown) {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const targets = [
    ...[...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
    ...[...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]),
    ...[...prose.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]),
  ];
  return targets.filter(
    (target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#'),
  );
}

/** Files `npm pack` would put in the tarball of the package in `dir`. */
function packedFiles(dir) {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`npm pack --dry-run failed in ${dir}:\n${result.stderr}`);
  return JSON.parse(result.stdout)[0].files.map((file) => file.path);
}

function main() {
  let ok = true;
  for (const dir of PACKAGES) {
    const directory = `packages/${dir}`;
    const pkgDir = join(root, directory);
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    const files = packedFiles(pkgDir);
    const problems = [...tarballProblems(files), ...metadataProblems(pkg, directory)];
    const readme = files.find((file) => /^readme(\.md)?$/i.test(file));
    if (readme) {
      for (const link of relativeLinks(readFileSync(join(pkgDir, readme), 'utf8'))) {
        problems.push(`${readme} has a relative link (dead on npm): ${link}`);
      }
    }
    for (const problem of problems) console.error(`✗ ${pkg.name}: ${problem}`);
    if (problems.length === 0)
      console.log(`✓ ${pkg.name}: tarball has README and LICENSE; metadata and links are absolute`);
    else ok = false;

    for (const command of [
      [bin('publint'), '--strict', '--pack', 'npm', pkgDir],
      [bin('attw'), '--pack', pkgDir, '--format', 'table-flipped', '--profile', 'node16'],
    ]) {
      const result = spawnSync(command[0], command.slice(1), { stdio: 'inherit', cwd: root });
      if (result.status !== 0) {
        console.error(`✗ ${command.slice(1).join(' ')} failed`);
        ok = false;
      }
    }
  }
  process.exit(ok ? 0 : 1);
}

// Importable for its rules; runs the checks only as a script.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
