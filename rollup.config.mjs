// Builds every package into its dist/: index.mjs (ESM), index.cjs (CJS), index.d.ts/.d.cts
// (bundled types) and, for core, the minified script-tag build exposing the global `Lifeline`.

import { existsSync, readFileSync } from 'node:fs';
import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import dts from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';

// A package joins the build once it has an entry point.
const packages = ['core', 'react', 'vue'].filter((dir) =>
  existsSync(`packages/${dir}/src/index.ts`),
);

function externalsOf(dir) {
  const pkg = JSON.parse(readFileSync(`packages/${dir}/package.json`, 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
  return (id) => names.some((name) => id === name || id.startsWith(`${name}/`));
}

const esbuildOptions = { target: 'es2020', tsconfig: 'tsconfig.base.json', jsx: 'automatic' };

const configs = packages.flatMap((dir) => {
  const input = `packages/${dir}/src/index.ts`;
  const external = externalsOf(dir);
  const out = `packages/${dir}/dist`;
  const list = [
    {
      input,
      external,
      plugins: [esbuild(esbuildOptions)],
      output: [
        { file: `${out}/index.mjs`, format: 'es', sourcemap: true },
        { file: `${out}/index.cjs`, format: 'cjs', sourcemap: true, exports: 'named' },
      ],
    },
    {
      input,
      external,
      plugins: [dts({ tsconfig: 'tsconfig.base.json' })],
      output: [
        { file: `${out}/index.d.ts`, format: 'es' },
        { file: `${out}/index.d.cts`, format: 'es' },
      ],
    },
  ];
  if (dir === 'core') {
    list.push({
      input,
      // eventemitter3 is inlined so one <script> tag is all a page needs.
      plugins: [nodeResolve({ browser: true }), commonjs(), esbuild(esbuildOptions)],
      output: {
        file: `${out}/lifeline.iife.min.js`,
        format: 'iife',
        name: 'Lifeline',
        sourcemap: true,
        plugins: [terser({ compress: { passes: 2 }, mangle: { properties: { regex: /^_/ } } })],
      },
    });
  }
  return list;
});

export default configs;
