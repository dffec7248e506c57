// Every sample in docs/guide/vue.md compiles as it would in a fresh Vite app: `.vue` blocks go
// through Vue's own SFC compiler (template inlined, so what the template uses counts as used,
// and its expressions are typechecked too), then the TypeScript checker.
import { describe, expect, it } from 'vitest';
import { compileScript, parse } from 'vue/compiler-sfc';
import { guide, markdownBlocks, typeErrors } from '../../react/test/guideSamples';

// What a Vite app's `env.d.ts` provides, so `import App from './App.vue'` resolves.
const shim =
  "declare module '*.vue' { const component: import('vue').Component; export default component; }";

function toTypeScript(sfc: string, id: string): string {
  const { descriptor, errors } = parse(sfc, { filename: `${id}.vue` });
  expect(errors).toEqual([]);
  return compileScript(descriptor, { id, inlineTemplate: true }).content;
}

describe('docs/guide/vue.md', () => {
  it('has samples (SFCs and plain modules) that all typecheck, unused variables included', () => {
    const blocks = markdownBlocks(guide('vue'), ['ts', 'vue']);
    expect(blocks.filter((block) => block.lang === 'vue').length).toBeGreaterThanOrEqual(2);
    const files = blocks.map(({ lang, code, line }) => {
      const id = `vue-line-${line}`;
      return lang === 'vue'
        ? { name: `${id}.vue.ts`, code: toTypeScript(code, id) }
        : { name: `${id}.ts`, code };
    });
    const errors = typeErrors([...files, { name: 'shims.d.ts', code: shim }]);
    // The compiler's own event handlers declare `$event` whether or not the template uses it.
    expect(errors.filter((error) => !error.includes("'$event' is declared"))).toEqual([]);
  });
});
