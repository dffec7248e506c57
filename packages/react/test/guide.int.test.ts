// Every TypeScript sample in docs/guide/react.md compiles as it would in a fresh Vite app.
import { describe, expect, it } from 'vitest';
import { guide, markdownBlocks, typeErrors } from './guideSamples';

describe('docs/guide/react.md', () => {
  it('has samples that all typecheck, unused variables included', () => {
    const blocks = markdownBlocks(guide('react'), ['ts', 'tsx']);
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const files = blocks.map((block) => ({
      name: `react-line-${block.line}.tsx`,
      code: block.code,
    }));
    expect(typeErrors(files)).toEqual([]);
  });
});
