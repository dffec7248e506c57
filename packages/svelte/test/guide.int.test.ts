// Every Svelte component in docs/guide/svelte.md compiles with the installed Svelte 5 compiler
// (runes and legacy syntax), without errors or warnings. The page's TypeScript module sample
// is typechecked with the other docs samples (docs/test/samples.int.test.ts).
import { readFileSync } from 'node:fs';
import { compile } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';

const guide = readFileSync(new URL('../../../docs/guide/svelte.md', import.meta.url), 'utf8');

/** The ```svelte blocks of the guide, with the line of their opening fence. */
function svelteBlocks(markdown: string): { code: string; line: number }[] {
  return [...markdown.matchAll(/^```svelte\n([\s\S]*?)^```$/gm)].map((match) => ({
    code: match[1]!,
    line: markdown.slice(0, match.index).split('\n').length,
  }));
}

describe('docs/guide/svelte.md', () => {
  const blocks = svelteBlocks(guide);

  it('has Svelte 5 and Svelte 4 samples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(blocks.some((block) => block.code.includes('$props()'))).toBe(true);
    expect(blocks.some((block) => block.code.includes('on:click'))).toBe(true);
  });

  it('has components that all compile, client and server, with no warning', () => {
    const problems: string[] = [];
    for (const { code, line } of blocks) {
      for (const generate of ['client', 'server'] as const) {
        try {
          const { warnings } = compile(code, { filename: `guide-line-${line}.svelte`, generate });
          for (const w of warnings)
            problems.push(`line ${line} (${generate}): ${w.code} ${w.message}`);
        } catch (error) {
          problems.push(`line ${line} (${generate}): ${(error as Error).message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
