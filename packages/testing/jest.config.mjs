// Jest for @lifeline/testing: the kit as jest users consume it, from the built dist/ (CommonJS,
// no transform), under jest's own fake timers. Run with `pnpm test:jest` after a build.
// Only `test/jest/*.jest.test.cjs` runs here; vitest never picks those up (it takes *.test.ts).
// jsdom is not covered: jest-environment-jsdom is not installed in this workspace.
/** @type {import('jest').Config} */
export default {
  rootDir: import.meta.dirname,
  roots: ['<rootDir>/test/jest'],
  testMatch: ['**/*.jest.test.cjs'],
  testEnvironment: 'node',
  transform: {},
  moduleNameMapper: {
    '^@lifeline/core$': '<rootDir>/../core/dist/index.cjs',
    '^@lifeline/testing$': '<rootDir>/dist/index.cjs',
  },
};
