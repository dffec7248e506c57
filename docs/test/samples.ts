// Code samples live inline in the Markdown, so they read on GitHub and in editors as they do on
// the site. This module finds them and typechecks them with the compiler API against the
// workspace sources (`@lifeline/core` → packages/core/src, as docs/tsconfig.json maps it).
//
// A fenced block is a sample when its language is ts, tsx, js or jsx, or when it is html with
// inline <script> elements. An HTML comment on the line right before the fence changes that:
//
//   <!-- not-compiled: reason -->       skipped, and listed with its reason
//   <!-- continues-previous -->         compiled in one module with the page's previous sample
//   <!-- same-as: ../examples/x.ts -->  must equal that file (which tsc and its tests check)
//   <!-- excerpt-of: ../examples/x.ts --> must be a run of lines of that file, indentation aside
//
// Each sample is its own module, compiled as if it sat in docs/examples/ (so `./server` is the
// reference server). A `<script src="…lifeline.iife…">` gives the block's inline scripts the
// `Lifeline` global, as the script-tag build does.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const docsRoot = fileURLToPath(new URL('..', import.meta.url));

/** A Markdown page: its path relative to docs/ and its text. */
export interface Page {
  path: string;
  text: string;
}

/** One fenced code block. `line` is the 1-based line of its first content line. */
export interface Block {
  page: string;
  line: number;
  lang: string;
  code: string;
  marker: { name: string; value: string } | undefined;
}

const MARKERS = new Set(['not-compiled', 'continues-previous', 'same-as', 'excerpt-of']);

/** Reads every page under docs/, minus the generated API reference and `skip`. */
export function readPages(skip: readonly string[] = []): Page[] {
  return readdirSync(docsRoot, { recursive: true, encoding: 'utf8' })
    .map((file) => file.split('\\').join('/'))
    .filter((file) => file.endsWith('.md') && !/^(api|node_modules|\.vitepress)\//.test(file))
    .filter((file) => !skip.includes(file))
    .sort()
    .map((path) => ({ path, text: readFileSync(join(docsRoot, path), 'utf8') }));
}

/** The fenced code blocks of a page, with the marker comment right before each. */
export function codeBlocks(page: Page): Block[] {
  const lines = page.text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i]!.match(/^(\s*)(`{3,}|~{3,})\s*([^`\s]*)/);
    if (!open) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    const end = lines.findIndex((line, j) => {
      const mark = line.trim();
      return j > i && mark.length >= fence.length && mark === fence.charAt(0).repeat(mark.length);
    });
    const close = end === -1 ? lines.length : end;
    const body = lines
      .slice(i + 1, close)
      .map((line) => line.replace(new RegExp(`^ {0,${indent.length}}`), ''));
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const comment = lines[before]?.trim().match(/^<!--\s*([\w-]+)\s*(?::\s*(.*?))?\s*-->$/);
    blocks.push({
      page: page.path,
      line: i + 2,
      lang: lang.replace(/\{.*$/, '').toLowerCase(), // `ts{2,4}` highlights lines
      code: body.join('\n'),
      marker:
        comment && MARKERS.has(comment[1]!)
          ? { name: comment[1]!, value: comment[2] ?? '' }
          : undefined,
    });
    i = close;
  }
  return blocks;
}

/** A piece of a sample's module, with where its first line is in the Markdown. */
interface Part {
  page: string;
  line: number;
  firstLine: number;
  lineCount: number;
}

/** One module to compile: one block, or a block and the blocks that continue it. */
export interface Sample {
  fileName: string;
  source: string;
  parts: Part[];
}

/** What was found and how each block is checked. */
export interface Collected {
  samples: Sample[];
  /** Blocks that must match a file: `same-as` the whole file, `excerpt-of` a run of lines. */
  copies: Array<{ block: Block; file: string; whole: boolean }>;
  skipped: Array<{ block: Block; reason: string }>;
  /** Problems with the markers themselves (a missing reason, nothing to continue). */
  problems: string[];
}

const at = (block: Block) => `docs/${block.page}:${block.line - 1}`;
const SCRIPT_LANGS: Record<string, 'ts' | 'tsx' | 'js' | 'jsx'> = {
  ts: 'ts',
  typescript: 'ts',
  tsx: 'tsx',
  js: 'js',
  javascript: 'js',
  jsx: 'jsx',
};

/** Sorts every block of `pages` into samples to compile, copies to compare and skips. */
export function collectSamples(pages: readonly Page[]): Collected {
  const result: Collected = { samples: [], copies: [], skipped: [], problems: [] };
  for (const page of pages) {
    let previous: Sample | undefined;
    for (const block of codeBlocks(page)) {
      const scripts = sourcesOf(block);
      if (scripts.length === 0) continue;
      const { marker } = block;
      if (marker?.name === 'not-compiled') {
        if (marker.value === '') result.problems.push(`${at(block)}: not-compiled needs a reason`);
        result.skipped.push({ block, reason: marker.value });
        continue;
      }
      if (marker?.name === 'same-as' || marker?.name === 'excerpt-of') {
        const file = resolve(docsRoot, dirname(page.path), marker.value);
        result.copies.push({ block, file, whole: marker.name === 'same-as' });
        continue;
      }
      if (marker?.name === 'continues-previous') {
        const [script] = scripts;
        if (!previous || scripts.length > 1 || !script)
          result.problems.push(`${at(block)}: continues-previous, but no sample comes before it`);
        else append(previous, script.code, block, script.offset);
        continue;
      }
      for (const script of scripts) {
        const slug = `${page.path.replace(/\W+/g, '-')}-${block.line + script.offset}`;
        previous = {
          fileName: join(docsRoot, 'examples', `__sample-${slug}.${script.ext}`),
          source: script.prelude,
          parts: [],
        };
        append(previous, script.code, block, script.offset);
        result.samples.push(previous);
      }
    }
  }
  return result;
}

function append(sample: Sample, code: string, block: Block, offset: number) {
  const firstLine = sample.source === '' ? 0 : sample.source.split('\n').length - 1;
  sample.source += `${code}\n`;
  sample.parts.push({
    page: block.page,
    line: block.line + offset,
    firstLine,
    lineCount: code.split('\n').length,
  });
}

/** The compilable sources of a block: the block itself, or an html block's inline scripts. */
function sourcesOf(block: Block) {
  const ext = SCRIPT_LANGS[block.lang];
  if (ext) return [{ code: block.code, ext, offset: 0, prelude: '' }];
  if (block.lang !== 'html') return [];
  // The IIFE build defines one global; say so in JSDoc, since inline scripts are JavaScript.
  const prelude = /<script[^>]*\ssrc="[^"]*lifeline\.iife/.test(block.code)
    ? "/** @type {typeof import('@lifeline/core')} */\n" +
      'export const Lifeline = /** @type {any} */ (globalThis).Lifeline;\n'
    : '';
  return [...block.code.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/g)]
    .filter((match) => !/\ssrc=/.test(match[1] ?? ''))
    .map((match) => ({
      // Line 0 of the code is the rest of the `<script>` line.
      code: match[2]!,
      ext: 'js' as const,
      offset: block.code.slice(0, match.index).split('\n').length - 1,
      prelude,
    }));
}

/** Compares `same-as` and `excerpt-of` blocks with their files; returns the mismatches. */
export function compareCopies(copies: Collected['copies']): string[] {
  const problems: string[] = [];
  for (const { block, file, whole } of copies) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      problems.push(`${at(block)}: ${relative(docsRoot, file)} does not exist`);
      continue;
    }
    const ok = whole ? `${block.code}\n` === text : isExcerpt(block.code, text);
    if (!ok)
      problems.push(
        `${at(block)}: differs from ${relative(docsRoot, file)}; copy the file's text into the block`,
      );
  }
  return problems;
}

function isExcerpt(excerpt: string, text: string) {
  const dedent = (lines: string[]) => {
    const width = Math.min(...lines.filter((l) => l.trim()).map((l) => l.search(/\S/)));
    return lines.map((l) => l.slice(width).trimEnd()).join('\n');
  };
  const want = dedent(excerpt.split('\n'));
  const lines = text.split('\n');
  const count = excerpt.split('\n').length;
  for (let i = 0; i + count <= lines.length; i++)
    if (dedent(lines.slice(i, i + count)) === want) return true;
  return false;
}

/**
 * Typechecks every sample in one program, with docs/tsconfig.json's options plus what a fresh
 * Vite app adds (unused locals and parameters are errors). Returns one line per error,
 * pointing into the Markdown: `docs/page.md:12:5 TS2345 message`. `extraRoots` (the files
 * that `same-as` blocks copy) are checked too.
 */
export function typecheckSamples(samples: readonly Sample[], extraRoots: readonly string[] = []) {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(docsRoot, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) },
  );
  if (!config) throw new Error('docs/tsconfig.json could not be read');
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    allowJs: true,
    checkJs: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    moduleDetection: ts.ModuleDetectionKind.Force,
  };
  const virtual = new Map(samples.map((sample) => [sample.fileName, sample]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name)?.source ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const sample = virtual.get(name);
    return sample
      ? ts.createSourceFile(name, sample.source, language)
      : getSourceFile.call(host, name, language, ...rest);
  };
  const roots = [...virtual.keys(), ...extraRoots];
  const program = ts.createProgram({ rootNames: roots, options, host });
  const errors: string[] = fail(program.getOptionsDiagnostics());
  for (const name of roots) {
    const file = program.getSourceFile(name);
    if (!file) {
      errors.push(`${name}: not part of the program`);
      continue;
    }
    const diagnostics = [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ];
    for (const diagnostic of diagnostics) errors.push(locate(diagnostic, file, virtual.get(name)));
  }
  return errors;
}

function fail(diagnostics: readonly ts.Diagnostic[]) {
  return diagnostics.map(
    (d) => `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
  );
}

function locate(diagnostic: ts.Diagnostic, file: ts.SourceFile, sample: Sample | undefined) {
  const text = `TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  if (!sample)
    return `${relative(join(docsRoot, '..'), file.fileName)}:${line + 1}:${character + 1} ${text}`;
  const part = sample.parts.find((p) => line >= p.firstLine && line < p.firstLine + p.lineCount);
  // A line outside every part is in the prelude the test adds.
  if (!part) return `docs/${sample.parts[0]!.page} (added prelude) ${text}`;
  return `docs/${part.page}:${part.line + line - part.firstLine}:${character + 1} ${text}`;
}
