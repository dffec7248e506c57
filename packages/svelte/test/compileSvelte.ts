// Bundles Svelte components given as source text, for the tests that render real components
// (server rendering here, Chromium in the e2e test): an esbuild plugin compiles each
// `virtual:Name.svelte` import with the installed Svelte 5 compiler. A component without runes
// compiles in legacy mode, which is how Svelte 5 runs Svelte 4 components.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { compile } from 'svelte/compiler';

// Paths from strings, not `new URL()`: under happy-dom, `URL` is the DOM's, which node:url refuses.
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const source = (pkg: string) => join(root, 'packages', pkg, 'src/index.ts');

/** Compiles `virtual:<name>` imports from `components` (name → Svelte source). */
function virtualComponents(
  components: Record<string, string>,
  generate: 'client' | 'server',
): Plugin {
  return {
    name: 'virtual-svelte',
    setup(build) {
      build.onResolve({ filter: /^virtual:/ }, (args) => ({
        path: args.path.slice('virtual:'.length),
        namespace: 'svelte-source',
      }));
      build.onLoad({ filter: /.*/, namespace: 'svelte-source' }, (args) => {
        const text = components[args.path];
        if (text === undefined) return { errors: [{ text: `no component named ${args.path}` }] };
        const { js, warnings } = compile(text, { filename: args.path, generate });
        return {
          contents: js.code,
          loader: 'js',
          resolveDir: root,
          warnings: warnings.map((w) => ({ text: `${w.code}: ${w.message}` })),
        };
      });
    },
  };
}

export interface BundleOptions {
  /** The entry module's source (imports components as `virtual:Name.svelte`). */
  entry: string;
  components: Record<string, string>;
  generate: 'client' | 'server';
  /**
   * Where `@lifeline/svelte` and `@lifeline/core` come from: their sources (default), or files
   * such as the built `dist/index.mjs`.
   */
  lifeline?: { svelte: string; core: string };
  /** For the browser (`client`), an IIFE whose exports land in this global, if given. */
  globalName?: string;
}

/** One bundle with the components, the Svelte runtime and Lifeline: an IIFE for the browser, ESM for Node. */
export async function bundleSvelte(options: BundleOptions): Promise<string> {
  const lifeline = options.lifeline ?? { svelte: source('svelte'), core: source('core') };
  const browser = options.generate === 'client';
  const result = await build({
    stdin: { contents: options.entry, resolveDir: root, loader: 'js' },
    bundle: true,
    write: false,
    format: browser ? 'iife' : 'esm',
    globalName: options.globalName,
    platform: browser ? 'browser' : 'node',
    logLevel: 'silent',
    alias: { '@lifeline/svelte': lifeline.svelte, '@lifeline/core': lifeline.core },
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [virtualComponents(options.components, options.generate)],
  });
  return result.outputFiles[0]!.text;
}
