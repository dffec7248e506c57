// A small Vue page in real Chromium, built from the published bundles (packages/vue/dist and
// packages/core/dist, bundled with esbuild; vue from node_modules), shows its socket status
// across a server restart.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchChromium } from '../../../test/support/browser';
import { requireBuilt } from '../../../test/support/build';
import { startTestServer, type TestServer } from '../../../test/support/ws-server';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const vueDist = fileURLToPath(new URL('../dist/index.mjs', import.meta.url));
const coreDist = fileURLToPath(new URL('../../core/dist/index.mjs', import.meta.url));

/** The page: the status as text, plus every status seen, in order. */
const pageSource = (url: string) => `
import { createApp, defineComponent, h, ref, watch } from 'vue';
import { useSocket } from ${JSON.stringify(vueDist)};

const App = defineComponent({
  setup() {
    const { status } = useSocket(${JSON.stringify(url)}, {
      reconnect: { initialDelay: 50, maxDelay: 200 },
    });
    const history = ref([]);
    watch(status, (next) => history.value.push(next), { immediate: true });
    return () => [
      h('p', { id: 'status' }, status.value),
      h('p', { id: 'history' }, history.value.join(' ')),
    ];
  },
});
createApp(App).mount('#app');
`;

async function bundle(url: string): Promise<string> {
  const result = await build({
    stdin: { contents: pageSource(url), resolveDir: packageDir, loader: 'js' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'silent',
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
  });
  return result.outputFiles[0]!.text;
}

describe('Vue adapter in Chromium', () => {
  let server: TestServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    requireBuilt(vueDist, coreDist);
    server = await startTestServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the status text going open → reconnecting → open across a server restart', async () => {
    const script = await bundle(server.url('/'));
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.setContent('<div id="app"></div>');
    await page.addScriptTag({ content: script });

    const status = page.locator('#status');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('open');

    await server.restart(500);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('open');
    const history = (await page.locator('#history').textContent())!.split(' ');
    expect(history.slice(0, 3)).toEqual(['idle', 'connecting', 'open']);
    expect(history).toContain('reconnecting');
    expect(history.at(-1)).toBe('open');
    expect(server.upgrades.length).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });
});
