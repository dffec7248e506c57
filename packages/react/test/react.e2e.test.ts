// A small React page in real Chromium, built from the published bundles (packages/react/dist
// and packages/core/dist, bundled with esbuild; React from node_modules), shows its socket
// status across a server restart.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchChromium } from '../../../test/support/browser';
import { requireBuilt } from '../../../test/support/build';
import { startTestServer, type TestServer } from '../../../test/support/ws-server';

const dist = (pkg: string) =>
  fileURLToPath(new URL(`../../${pkg}/dist/index.mjs`, import.meta.url));
const entry = fileURLToPath(new URL('./fixtures/statusPage.tsx', import.meta.url));

async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    jsx: 'automatic',
    logLevel: 'silent',
    // The built packages, not their sources: this is what users install.
    alias: { '@lifeline/react': dist('react'), '@lifeline/core': dist('core') },
    define: { 'process.env.NODE_ENV': '"development"' },
  });
  return result.outputFiles[0]!.text;
}

describe('React adapter in Chromium', () => {
  let server: TestServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    requireBuilt(dist('react'), dist('core'));
    server = await startTestServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the status text going open → reconnecting → open across a server restart', async () => {
    const script = await bundlePage();
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.setContent(`<body data-ws="${server.url('/')}"><div id="root"></div></body>`);
    await page.addScriptTag({ content: script });

    const status = page.locator('#status');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('open');
    // StrictMode (development React) mounts effects twice: still one connection.
    expect(server.upgrades).toHaveLength(1);

    await server.restart(500);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('open');
    const history = await page.locator('#history').textContent();
    expect(history).toBe('idle connecting open reconnecting open');
    expect(server.upgrades.length).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
    await page.close();
  });
});
