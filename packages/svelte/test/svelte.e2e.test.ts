// A small Svelte 5 app in real Chromium, compiled in this test (one component in runes syntax,
// one in Svelte 4 syntax, compiled in legacy mode) and bundled with the built packages
// (packages/svelte/dist and packages/core/dist). It talks to a real @lifeline/server on
// 127.0.0.1, which also serves the page: the status, the retry attempt, a stream's messages
// across a dropped connection, and a message store read by the Svelte 4 component.
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Context, createServer, type LifelineServer } from '@lifeline/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchChromium } from '../../../test/support/browser';
import { requireBuilt } from '../../../test/support/build';
import { bundleSvelte } from './compileSvelte';
import { LEGACY_COMPONENT, RUNES_APP } from './components';

const svelteDist = fileURLToPath(new URL('../dist/index.mjs', import.meta.url));
const coreDist = fileURLToPath(new URL('../../core/dist/index.mjs', import.meta.url));

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Lifeline Svelte</title><link rel="icon" href="data:,"></head>
<body><div id="app"></div><script src="/app.js"></script></body></html>`;

describe('Svelte stores in Chromium against @lifeline/server', () => {
  let http: Server;
  let lifeline: LifelineServer;
  let browser: LaunchedBrowser;
  let origin: string;
  const connections: Context[] = [];

  beforeAll(async () => {
    requireBuilt(svelteDist, coreDist);
    const app = await bundleSvelte({
      entry: `
        import { mount } from 'svelte';
        import App from 'virtual:App.svelte';
        const url = location.origin.replace(/^http/, 'ws') + '/ws';
        mount(App, { target: document.getElementById('app'), props: { url, stream: 'room:1' } });
      `,
      components: { 'App.svelte': RUNES_APP, 'Legacy.svelte': LEGACY_COMPONENT },
      generate: 'client',
      lifeline: { svelte: svelteDist, core: coreDist },
    });
    http = createHttpServer((request, response) => {
      if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      else if (request.url === '/app.js')
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(app);
      else response.writeHead(404).end();
    });
    // Same host as the page: the server's default origin check lets it in.
    lifeline = createServer({ server: http, path: '/ws' });
    lifeline.on('connection', (ctx) => connections.push(ctx));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await lifeline?.close();
    await new Promise((resolve) => http?.close(resolve));
  });

  it('renders status, stream messages (resumed after a drop) and a Svelte 4 component', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${origin}/`);
    const text = (id: string) => page.locator(`#${id}`).textContent();

    await expect.poll(() => text('status'), { timeout: 10_000 }).toBe('open');
    await expect.poll(() => text('room'), { timeout: 10_000 }).toBe('live');
    expect(await text('legacy-status')).toBe('open'); // the Svelte 4 component, same store
    expect(connections).toHaveLength(1); // three stores, one socket

    await lifeline.publish('room:1', 'chat', { text: 'one' });
    await lifeline.publish('room:1', 'chat', { text: 'two' });
    await expect.poll(() => page.locator('#lines li').allTextContents()).toEqual(['one', 'two']);
    expect(await text('seq')).toBe('2');

    connections[0]!.send('notice', { text: 'hello' });
    await expect.poll(() => text('notice')).toBe('HELLO'); // `$:` in the Svelte 4 component

    // Drop the connection (no close frame: the client sees 1006 and retries after 300 ms),
    // and publish while it is away: the resumed subscription replays it, once.
    connections[0]!.socket.terminate();
    await expect.poll(() => text('status'), { timeout: 5_000 }).toBe('reconnecting');
    expect(await text('attempt')).toBe('1');
    await lifeline.publish('room:1', 'chat', { text: 'three' });
    await expect.poll(() => text('status'), { timeout: 10_000 }).toBe('open');
    await expect
      .poll(() => page.locator('#lines li').allTextContents())
      .toEqual(['one', 'two', 'three']);
    expect(await text('seq')).toBe('3');
    expect(await text('attempt')).toBe('0'); // cleared once open
    expect(await text('retries')).toBe('1/300');
    const history = (await text('history'))!.split(' ');
    expect(history.slice(0, 2)).toEqual(['connecting', 'open']);
    expect(history).toContain('reconnecting');
    expect(history.at(-1)).toBe('open');
    expect(connections).toHaveLength(2);
    expect(errors).toEqual([]);
    await page.close();
  });
});
