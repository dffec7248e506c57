import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) =>
  fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Tests import packages from source; the e2e suites load the built dist/ in Chromium.
const alias = {
  '@lifeline/core': src('core'),
  '@lifeline/react': src('react'),
  '@lifeline/vue': src('vue'),
  '@lifeline/svelte': src('svelte'),
  '@lifeline/server': src('server'),
  '@lifeline/conformance': src('conformance'),
  '@lifeline/testing': src('testing'),
};

// File naming decides the suite:
//   *.test.ts(x)        unit: happy-dom + mock-socket, fake timers, fast
//   *.int.test.ts(x)    integration: Node against a real `ws` server on 127.0.0.1
//   *.e2e.test.ts       browser: real Chromium via playwright-core, built bundles
//   *.chaos.test.ts     chaos: real faults (restarts, kills, nginx, SIGSTOP)
const special = ['**/*.int.test.*', '**/*.e2e.test.*', '**/*.chaos.test.*'];
const ignore = ['**/node_modules/**', '**/dist/**'];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      // The React unit suite once more, against React 18 (`unit-react18`).
      './packages/react/vitest.react18.config.ts',
      {
        resolve: { alias },
        test: {
          name: 'unit',
          environment: 'happy-dom',
          include: [
            'packages/*/test/**/*.test.{ts,tsx}',
            'test/**/*.test.{ts,tsx}',
            'playground/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          exclude: [...ignore, ...special],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          environment: 'node',
          include: ['**/*.int.test.{ts,tsx}'],
          exclude: ignore,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['**/*.e2e.test.ts'],
          exclude: ignore,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One Chromium at a time: the machine has two cores.
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'chaos',
          environment: 'node',
          include: ['**/*.chaos.test.ts'],
          exclude: ignore,
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
