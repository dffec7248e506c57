// The React unit suite again, against React 18 (the root's `react18` / `react-dom18` aliases).
// Run: npx vitest run -c packages/react/vitest.react18.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));
const src = (pkg: string) => `${root}packages/${pkg}/src/index.ts`;

export default defineConfig({
  // packages/react, whether run on its own or as a project of the root config.
  root: `${root}packages/react`,
  resolve: {
    alias: [
      { find: '@lifeline/core', replacement: src('core') },
      { find: '@lifeline/react', replacement: src('react') },
      { find: '@lifeline/testing', replacement: src('testing') },
      // Imports that Vite transforms (our sources and tests)...
      { find: /^react-dom(\/.*)?$/, replacement: 'react-dom18$1' },
      { find: /^react(\/.*)?$/, replacement: 'react18$1' },
    ],
  },
  test: {
    name: 'unit-react18',
    environment: 'happy-dom',
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.int.test.*', '**/*.e2e.test.*'],
    // ...and the `require('react')` calls inside node_modules (react-dom, testing-library).
    setupFiles: [`${root}packages/react/test/react18.setup.ts`],
    env: { REACT_MAJOR: '18' },
  },
});
