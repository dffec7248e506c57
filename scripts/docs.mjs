#!/usr/bin/env node
// Builds the docs site: TypeDoc writes the API reference as markdown into docs/api/ (git-ignored),
// then VitePress builds docs/ with dead-link checking. Any TypeDoc warning fails the run, so an
// exported symbol without TSDoc, or a broken {@link}, fails CI just like a dead link does.
//
//   node scripts/docs.mjs           build the site into docs/.vitepress/dist
//   node scripts/docs.mjs --check   same checks, but the site goes to a temporary folder that is
//                                   removed afterwards (used by `pnpm test`)
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const docs = join(root, 'docs');
const apiOut = join(docs, 'api');
const check = process.argv.includes('--check');
const started = Date.now();

const packages = ['core', 'react', 'vue', 'svelte', 'server', 'testing'];
const entryPoints = [];
for (const name of packages) {
  const entry = join(root, 'packages', name, 'src', 'index.ts');
  if (existsSync(entry)) entryPoints.push(entry);
  else console.log(`docs: skipping @lifeline/${name}: ${relative(root, entry)} does not exist yet`);
}

rmSync(apiOut, { recursive: true, force: true });
if (entryPoints.length > 0) {
  await generateApi(entryPoints);
  console.log(`docs: API reference generated in ${seconds()} s`);
} else {
  // Keep /api/ a valid page so links to it are not dead before the packages exist.
  mkdirSync(apiOut, { recursive: true });
  writeFileSync(
    join(apiOut, 'index.md'),
    '# API reference\n\nNo package entry point exists yet; this page is generated from ' +
      '`packages/*/src/index.ts` by `npx -y pnpm@10 run docs`.\n',
  );
}

// The config reads this to skip work only a published site needs (minification).
if (check) process.env.LIFELINE_DOCS_CHECK = '1';
const { build } = await import('vitepress');
const outDir = check ? mkdtempSync(join(tmpdir(), 'lifeline-docs-')) : undefined;
try {
  await build(docs, outDir ? { outDir } : {});
} catch (error) {
  console.error(`docs: VitePress build failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
} finally {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
}
console.log(`docs: ${check ? 'checked' : 'built'} in ${seconds()} s`);
// VitePress can leave handles (file watchers, workers) open; the work is done.
process.exit(0);

function seconds() {
  return ((Date.now() - started) / 1000).toFixed(1);
}

/** Runs TypeDoc with typedoc-plugin-markdown; exits the process on any warning or error. */
async function generateApi(entries) {
  const { Application } = await import('typedoc');
  const app = await Application.bootstrapWithPlugins({
    entryPoints: entries,
    // Only the package sources: a smaller program makes TypeDoc faster.
    tsconfig: join(docs, 'tsconfig.api.json'),
    plugin: ['typedoc-plugin-markdown'],
    out: apiOut,
    name: 'Lifeline API',
    readme: 'none',
    entryFileName: 'index',
    // One page per package rather than per symbol: fewer pages keep the site build fast.
    outputFileStrategy: 'modules',
    hidePageHeader: true,
    hideBreadcrumbs: true,
    // "Defined in" lines would point into node_modules for inherited members; the source is
    // one click away in the repository anyway.
    disableSources: true,
    // TSDoc text is markdown, but VitePress also reads `{{ }}` and tags as Vue templates.
    sanitizeComments: true,
    excludePrivate: true,
    excludeInternal: true,
    // The tsc gate reports type errors; TypeDoc only needs the symbols.
    skipErrorChecking: true,
    validation: { notExported: true, invalidLink: true, notDocumented: true },
    treatWarningsAsErrors: true,
    logLevel: 'Warn',
  });
  const project = await app.convert();
  if (project) {
    // TypeDoc names modules after their paths (`core/src`); readers know them by package name.
    for (const module of project.children ?? [])
      module.name = `@lifeline/${module.name.split('/')[0]}`;
    app.validate(project);
  }
  if (!project || app.logger.hasErrors() || app.logger.hasWarnings()) {
    console.error('docs: TypeDoc reported problems (see above); every export needs TSDoc.');
    process.exit(1);
  }
  await app.generateOutputs(project);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) process.exit(1);
}
