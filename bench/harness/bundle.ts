// Bundles the in-page harness (adapters + measurements) into one script with esbuild. Lifeline
// comes from the built `dist/`, as users get it; without a build it is stubbed out.
import { build, type Plugin } from 'esbuild';
import { CORE_ESM, coreBuilt, fromRoot } from './paths';

const stubCore: Plugin = {
  name: 'stub-lifeline-core',
  setup(context) {
    context.onResolve({ filter: /^@lifeline\/core$/ }, () => ({ path: 'core', namespace: 'stub' }));
    context.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: 'export const Socket = undefined, ReconnectingSocket = undefined;',
    }));
  },
};

/** The page script's source text. */
export async function bundlePage(): Promise<string> {
  const withCore = coreBuilt();
  const result = await build({
    entryPoints: [fromRoot('bench/page/entry.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    ...(withCore ? { alias: { '@lifeline/core': CORE_ESM } } : { plugins: [stubCore] }),
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no page bundle');
  return file.text;
}
