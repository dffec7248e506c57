// Builds every package into its dist/: index.mjs (ESM), index.cjs (CJS), index.d.ts/.d.cts
// (bundled types). Core also gets development twins (index.development.mjs/.cjs, picked by the
// `development` export condition) and two script-tag builds exposing the global `Lifeline`:
// lifeline.iife.min.js (production) and lifeline.iife.js (development, unminified).
//
// `__DEV__` (read by packages/core/src/dev.ts) is `false` in production files: rollup folds
// `DEV` in every module, so development-only messages and checks are not shipped.

import { existsSync, readFileSync } from 'node:fs';
import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { transform } from 'esbuild';
import dts from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';

// Browser packages of one shape (an ESM/CJS pair and bundled types; core adds its IIFE and
// development builds). A package joins the build once it has an entry point.
const packages = ['core', 'react', 'vue', 'svelte', 'testing'].filter((dir) =>
  existsSync(`packages/${dir}/src/index.ts`),
);

function externalsOf(dir) {
  const pkg = JSON.parse(readFileSync(`packages/${dir}/package.json`, 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
  return (id) => names.some((name) => id === name || id.startsWith(`${name}/`));
}

const esbuildOptions = { target: 'es2020', tsconfig: 'tsconfig.base.json', jsx: 'automatic' };
// Rollup itself folds the imported `DEV` constant; minifySyntax then merges what that leaves
// behind inside a module (e.g. two checks that now throw the same argument-less error).
const production = () =>
  esbuild({ ...esbuildOptions, define: { __DEV__: 'false' }, minifySyntax: true });
const development = () => esbuild({ ...esbuildOptions, define: { __DEV__: 'true' } });

// Private members are `_`-prefixed; renaming them is safe because nothing public starts with
// `_` (the one protected member, SafeEmitter's `_emit`, is internal too: the IIFE has always
// renamed it). In index.mjs/.cjs eventemitter3 is an external dependency: its fields keep their names,
// and its method names are never handed out as new names (a `false` entry in esbuild's mangle
// cache reserves a name). `__proto__` is the language's, not ours.
const KEEP_NAMES = [
  '__proto__',
  '_events',
  '_eventsCount',
  'eventNames',
  'listeners',
  'listenerCount',
  'emit',
  'on',
  'addListener',
  'once',
  'removeListener',
  'off',
  'removeAllListeners',
  'prefixed',
];

/**
 * Renames the private (`_`-prefixed) properties of a finished chunk and nothing else: terser
 * cannot rename properties without also renaming every local variable, and these files are
 * meant to stay readable.
 */
const manglePrivate = () => ({
  name: 'mangle-private-properties',
  async renderChunk(code, chunk) {
    const result = await transform(code, {
      mangleProps: /^_/,
      mangleCache: Object.fromEntries(KEEP_NAMES.map((name) => [name, false])),
      sourcemap: true,
      sourcefile: chunk.fileName,
    });
    return { code: result.code, map: result.map };
  },
});

// eventemitter3 is CommonJS whose `module.exports` is the class itself (no `__esModule`
// flag), so its default export can be `module.exports` as it is: without the interop helper
// that would look for a `default` on it at run time (-40 B min+gz on the script tag).
const inlineCommonjs = () => commonjs({ defaultIsModuleExports: true });

// Rollup keeps whole try blocks by default (code there may throw on purpose, for feature
// detection); ours never relies on that, and a development message inside one must go too.
const treeshake = { tryCatchDeoptimization: false };

function coreConfigs(input, external, out) {
  return [
    {
      input,
      external,
      treeshake,
      plugins: [production()],
      output: [
        { file: `${out}/index.mjs`, format: 'es', sourcemap: true, plugins: [manglePrivate()] },
        {
          file: `${out}/index.cjs`,
          format: 'cjs',
          sourcemap: true,
          exports: 'named',
          plugins: [manglePrivate()],
        },
      ],
    },
    {
      input,
      external,
      plugins: [development()],
      output: [
        { file: `${out}/index.development.mjs`, format: 'es', sourcemap: true },
        { file: `${out}/index.development.cjs`, format: 'cjs', sourcemap: true, exports: 'named' },
      ],
    },
    // eventemitter3 is inlined so one <script> tag is all a page needs.
    {
      input,
      treeshake,
      plugins: [nodeResolve({ browser: true }), inlineCommonjs(), production()],
      output: {
        file: `${out}/lifeline.iife.min.js`,
        format: 'iife',
        name: 'Lifeline',
        sourcemap: true,
        plugins: [terser({ compress: { passes: 2 }, mangle: { properties: { regex: /^_/ } } })],
      },
    },
    {
      input,
      plugins: [nodeResolve({ browser: true }), inlineCommonjs(), development()],
      output: {
        file: `${out}/lifeline.iife.js`,
        format: 'iife',
        name: 'Lifeline',
        sourcemap: true,
      },
    },
  ];
}

const configs = packages.flatMap((dir) => {
  const input = `packages/${dir}/src/index.ts`;
  const external = externalsOf(dir);
  const out = `packages/${dir}/dist`;
  const types = {
    input,
    external,
    plugins: [dts({ tsconfig: 'tsconfig.base.json' })],
    output: [
      { file: `${out}/index.d.ts`, format: 'es' },
      { file: `${out}/index.d.cts`, format: 'es' },
    ],
  };
  if (dir === 'core') return [...coreConfigs(input, external, out), types];
  const bundle = {
    input,
    external,
    plugins: [esbuild(esbuildOptions)],
    output: [
      { file: `${out}/index.mjs`, format: 'es', sourcemap: true },
      { file: `${out}/index.cjs`, format: 'cjs', sourcemap: true, exports: 'named' },
    ],
  };
  return [bundle, types];
});

// @lifeline/server runs on Node only: node builtins and its dependencies (ws) stay external.
// Two entries: the main one, and `@lifeline/server/redis` (redisStore), so that importing the
// main entry never loads ioredis, an optional peer dependency. What both use is one shared
// chunk, so `ServerError` is one class for both.
if (existsSync('packages/server/src/index.ts')) {
  const input = {
    index: 'packages/server/src/index.ts',
    redis: 'packages/server/src/redis/index.ts',
  };
  const out = 'packages/server/dist';
  const dependency = externalsOf('server');
  const external = (id) => id.startsWith('node:') || dependency(id);
  configs.push(
    {
      input,
      external,
      plugins: [esbuild({ ...esbuildOptions, target: 'node20', platform: 'node' })],
      output: [
        {
          dir: out,
          format: 'es',
          sourcemap: true,
          entryFileNames: '[name].mjs',
          chunkFileNames: 'shared-[hash].mjs',
        },
        {
          dir: out,
          format: 'cjs',
          sourcemap: true,
          exports: 'named',
          entryFileNames: '[name].cjs',
          chunkFileNames: 'shared-[hash].cjs',
        },
      ],
    },
    {
      input,
      external,
      plugins: [dts({ tsconfig: 'tsconfig.base.json' })],
      output: [
        {
          dir: out,
          format: 'es',
          entryFileNames: '[name].d.ts',
          chunkFileNames: 'shared-[hash].d.ts',
        },
        {
          dir: out,
          format: 'es',
          entryFileNames: '[name].d.cts',
          chunkFileNames: 'shared-[hash].d.cts',
        },
      ],
    },
  );
}

// @lifeline/conformance: the protocol checker, on Node only (node builtins and ws stay
// external). The library as an ESM/CJS pair with bundled types, and the `lifeline-conformance`
// bin as one ESM file with a shebang.
if (existsSync('packages/conformance/src/index.ts')) {
  const out = 'packages/conformance/dist';
  const dependency = externalsOf('conformance');
  const external = (id) => id.startsWith('node:') || dependency(id);
  const plugins = () => [esbuild({ ...esbuildOptions, target: 'node20', platform: 'node' })];
  configs.push(
    {
      input: 'packages/conformance/src/index.ts',
      external,
      plugins: plugins(),
      output: [
        { file: `${out}/index.mjs`, format: 'es', sourcemap: true },
        { file: `${out}/index.cjs`, format: 'cjs', sourcemap: true, exports: 'named' },
      ],
    },
    {
      input: 'packages/conformance/src/cli.ts',
      external,
      plugins: plugins(),
      output: { file: `${out}/cli.mjs`, format: 'es', banner: '#!/usr/bin/env node' },
    },
    {
      input: 'packages/conformance/src/index.ts',
      external,
      plugins: [dts({ tsconfig: 'tsconfig.base.json' })],
      output: [
        { file: `${out}/index.d.ts`, format: 'es' },
        { file: `${out}/index.d.cts`, format: 'es' },
      ],
    },
  );
}

export default configs;
