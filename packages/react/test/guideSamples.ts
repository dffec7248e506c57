// Typechecks the code samples of a docs guide as a fresh Vite app would (strict, no unused
// locals or parameters), against the packages' sources. Nothing is written to disk: the
// samples are virtual files beside the guide, so `react`, `vue` & co. resolve from the repo.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** A fenced block of a Markdown file. */
export interface Block {
  lang: string;
  code: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
}

/** The fenced blocks of `markdown` in one of `langs`, list-item indentation removed. */
export function markdownBlocks(markdown: string, langs: readonly string[]): Block[] {
  const blocks: Block[] = [];
  for (const match of markdown.matchAll(/^( *)```(\w+)[^\n]*\n([\s\S]*?)^\1```$/gm)) {
    const [, indent = '', lang = '', body = ''] = match;
    if (!langs.includes(lang)) continue;
    const code = body
      .split('\n')
      .map((line) => line.slice(indent.length))
      .join('\n');
    blocks.push({ lang, code, line: markdown.slice(0, match.index).split('\n').length });
  }
  return blocks;
}

/** A sample as a module: `name` is a file name such as `react-3.tsx`. */
export interface SampleFile {
  name: string;
  code: string;
}

function compilerOptions(): ts.CompilerOptions {
  const base = ts.readConfigFile(`${repoRoot}tsconfig.base.json`, ts.sys.readFile).config;
  const { options } = ts.convertCompilerOptionsFromJson(base.compilerOptions, repoRoot);
  const src = (pkg: string) => [`${repoRoot}packages/${pkg}/src/index.ts`];
  return {
    ...options,
    noEmit: true,
    // What `npm create vite` templates turn on, and what users then hit first.
    noUnusedLocals: true,
    noUnusedParameters: true,
    types: [],
    baseUrl: repoRoot,
    paths: {
      '@lifeline/core': src('core'),
      '@lifeline/react': src('react'),
      '@lifeline/vue': src('vue'),
    },
  };
}

/** Type errors in `files` (none from the packages they import), as readable lines. */
export function typeErrors(files: readonly SampleFile[]): string[] {
  const dir = `${repoRoot}docs/guide/.samples/`;
  const virtual = new Map(files.map((file) => [`${dir}${file.name}`, file.code]));
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const code = virtual.get(name);
    return code === undefined
      ? getSourceFile.call(host, name, language, ...rest)
      : ts.createSourceFile(name, code, language, true);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  return [...virtual.keys()].flatMap((name) => {
    const source = program.getSourceFile(name)!;
    const found = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    return found.map((d) => {
      const at = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line;
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      return `${name.slice(dir.length)}:${at + 1}: ${text}\n  ${source.text.split('\n')[at]}`;
    });
  });
}

/** The guide `docs/guide/<name>.md`. */
export const guide = (name: string) => readFileSync(`${repoRoot}docs/guide/${name}.md`, 'utf8');
