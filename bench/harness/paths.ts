// Where the benchmarks find the repository and the built packages.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file relative to the repository root. */
export const fromRoot = (path: string): string =>
  fileURLToPath(new URL(`../../${path}`, import.meta.url));

export const ROOT = fromRoot('');
/** The production ESM build (what bundlers pick without the `development` condition). */
export const CORE_ESM = fromRoot('packages/core/dist/index.mjs');
/** The production script-tag build, minified. */
export const CORE_IIFE = fromRoot('packages/core/dist/lifeline.iife.min.js');
/** The development script-tag build: full error messages, not minified. */
export const CORE_IIFE_DEV = fromRoot('packages/core/dist/lifeline.iife.js');

/** True when `packages/core/dist` holds the ESM build the benchmarks bundle. */
export const coreBuilt = (): boolean => existsSync(CORE_ESM);

/** The message to show when the build is missing. */
export const BUILD_HINT =
  'Build first: `npx rollup -c rollup.config.mjs` (from the repository root).';
