// The playground page in real Chromium against the dev server: connect, send, faults,
// text-only rendering, the handshake check, a stream subscription, and /ws refusing pages
// from other origins (streams.e2e.test.ts puts the Stream panel through the faults). Loads
// core through the built script-tag bundle.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchChromium } from '../test/support/browser';
import { requireBuilt } from '../test/support/build';
import { type DevServer, startDevServer } from './server';

const BUNDLE = fileURLToPath(
  new URL('../packages/core/dist/lifeline.iife.min.js', import.meta.url),
);
// Tests must leave the tree clean: the screenshot goes to the untracked .reports/ unless
// `pnpm run screenshot` asks for the README image (playground/screenshot.png) on purpose.
const SCREENSHOT = process.env.PLAYGROUND_SCREENSHOT
  ? resolve(process.env.PLAYGROUND_SCREENSHOT)
  : fileURLToPath(new URL('../.reports/playground.png', import.meta.url));
const XSS = '<img src=x onerror=alert(1)>';

let server: DevServer;
const serverLog: string[] = [];
let browser: LaunchedBrowser;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];

const byId = (id: string) => `[data-testid="${id}"]`;

/** Waits until the element's text is `text`. */
const waitForText = (id: string, text: string, timeout = 10_000) =>
  page.waitForFunction(
    ([selector, expected]) => document.querySelector(selector!)?.textContent === expected,
    [byId(id), text] as const,
    { timeout },
  );

/** Waits for a row under `list` (timeline or log) whose text includes `text`. */
const waitForRow = (list: string, rowSelector: string, text: string, timeout = 10_000) =>
  page.waitForFunction(
    ([selector, expected]) =>
      [...document.querySelectorAll(selector!)].some((row) => row.textContent?.includes(expected!)),
    [`${byId(list)} ${rowSelector}`, text] as const,
    { timeout },
  );

const count = (selector: string) => page.locator(selector).count();

async function sendText(text: string) {
  await page.fill(byId('send-text-input'), text);
  await page.click(byId('send-text'));
}

beforeAll(async () => {
  requireBuilt(BUNDLE);
  server = await startDevServer({ port: 0, log: (line) => serverLog.push(line) });
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  page.on('dialog', (dialog: Dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('playground page', () => {
  it('loads core from the script-tag build and connects to the dev server by default', async () => {
    expect(await page.evaluate(() => typeof (globalThis as { Lifeline?: unknown }).Lifeline)).toBe(
      'object',
    );
    expect(await page.inputValue(`${byId('options')} [name="url"]`)).toBe(server.wsUrl);
    await page.fill('[name="initialDelay"]', '200');
    await page.fill('[name="maxDelay"]', '1000');
    await page.selectOption('[name="jitter"]', 'none');
    await page.click(byId('connect'));
    await waitForText('status', 'open');
    await waitForRow('timeline', '[data-kind="open"]', 'connected on first try');
  });

  it('shows what the server saw and a matching Sec-WebSocket-Accept', async () => {
    await page.waitForSelector(`${byId('handshake-match')}[data-match="true"]`);
    const rows = await page.$$eval(`${byId('handshake')} tr`, (trs) =>
      Object.fromEntries(
        trs.map((tr) => [tr.children[0]?.textContent, tr.children[1]?.textContent]),
      ),
    );
    expect(rows['Request line']).toBe('GET /ws HTTP/1.1');
    expect(rows.Origin).toBe(server.url.slice(0, -1));
    expect(rows['Sec-WebSocket-Key']).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(rows['Accept (this page)']).toBe(rows['Accept (server)']);
  });

  it('sends text and a sum request, and logs the echo and the reply', async () => {
    await sendText('hello lifeline');
    await waitForRow('log', 'li[data-direction="in"]', 'hello lifeline');
    await page.click(byId('send-request'));
    await waitForRow('log', 'li[data-direction="info"]', 'reply to sum: 42');
  });

  it('after "drop" goes reconnecting, then open again, and charts the retry delay', async () => {
    expect(await count(byId('retry-point'))).toBe(0);
    await page.click(byId('fault-drop'));
    await waitForRow('timeline', '[data-kind="close"]', 'code 1006');
    await waitForRow('timeline', '[data-kind="status"]', 'open → reconnecting');
    await waitForRow('timeline', '[data-kind="open"]', 'reconnected');
    await waitForText('status', 'open');
    expect(await count(byId('retry-point'))).toBeGreaterThanOrEqual(1);
  });

  it('after "restart 2 s" delivers messages typed while the server was down', async () => {
    const before = await count(byId('retry-point'));
    await page.fill(byId('restart-seconds'), '2');
    await page.click(byId('fault-restart'));
    await waitForText('status', 'reconnecting');
    await waitForRow('timeline', '[data-kind="reconnecting"]', 'next retry in');
    await sendText('typed while down');
    await waitForRow('log', 'li[data-direction="out"]', 'queued');
    await waitForText('queued', '1');
    await waitForRow('timeline', '[data-kind="close"]', 'code 1012');
    await waitForText('status', 'open', 15_000);
    await waitForRow('log', 'li[data-direction="in"]', 'typed while down');
    await waitForText('queued', '0');
    expect(await count(byId('retry-point'))).toBeGreaterThan(before + 1);
  });

  it('renders markup from the wire as text and runs nothing', async () => {
    await sendText(XSS);
    await page.fill(byId('json-type'), 'echo');
    await page.fill(byId('json-data'), JSON.stringify({ html: XSS }));
    await page.click(byId('send-json'));
    await waitForRow('log', 'li[data-direction="in"]', `{"type":"echo","data":{"html":`);
    const echoed = await page.$$eval(`${byId('log')} li[data-direction="in"] code`, (codes) =>
      codes.map((code) => code.textContent),
    );
    expect(echoed).toContain(XSS);
    // Give a would-be onerror handler time to fire.
    await page.waitForTimeout(300);
    expect(await count(`${byId('log')} img`)).toBe(0);
    expect(await count('img')).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('survives a flood: the last of 2000 messages arrives and the log stays capped', async () => {
    await page.fill('[data-param="count"]', '2000');
    await page.click(byId('fault-flood'));
    await waitForRow('log', 'li[data-direction="in"]', '"seq":2000,');
    expect(await count(`${byId('log')} li`)).toBeLessThanOrEqual(300);
  });

  it('with a heartbeat, shows latency and recovers from a blackhole (4000 heartbeat timeout)', async () => {
    await page.check('[name="heartbeat"]');
    await page.fill('[name="heartbeatInterval"]', '300');
    await page.fill('[name="heartbeatTimeout"]', '600');
    await page.click(byId('connect'));
    await waitForRow('timeline', '[data-kind="socket"]', 'new socket');
    await waitForText('status', 'open');
    await page.waitForFunction(
      (selector) => /^\d+ ms$/.test(document.querySelector(selector)?.textContent ?? ''),
      byId('latency'),
    );
    await page.click(byId('fault-blackhole'));
    await waitForRow('timeline', '[data-kind="close"]', 'code 4000 "heartbeat timeout"');
    await waitForRow('timeline', '[data-kind="open"]', 'reconnected on retry 1');
    await waitForText('status', 'open');
  });

  it('subscribes to the ticks stream and counts every tick, none missed', async () => {
    await page.click(byId('stream-subscribe'));
    await waitForText('stream-status', 'live');
    await page.waitForFunction(
      (selector) => Number(document.querySelector(selector)?.textContent) >= 10,
      byId('stream-received'),
    );
    expect(await page.textContent(byId('stream-missed'))).toBe('0');
    expect(await count(byId('stream-message'))).toBe(8);
  });

  it('ran without page errors; a full-page screenshot is saved', async () => {
    expect(pageErrors).toEqual([]);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    // A PNG of the whole page: signature, then IHDR width and height (big-endian).
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, height]);
    // A test run must not dirty the tree: only `pnpm run screenshot` writes a tracked file.
    if (!process.env.PLAYGROUND_SCREENSHOT) {
      const tracked = spawnSync('git', ['ls-files', '--', SCREENSHOT], { encoding: 'utf8' });
      expect(tracked.stdout ?? '').toBe('');
    }
  });
});

describe('/ws and other origins', () => {
  let other: Server;
  let otherUrl: string;

  beforeAll(async () => {
    other = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end('<!doctype html><title>another site</title>');
    });
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    // The browser keeps its connection to the page alive; close() alone would wait for it.
    other?.closeAllConnections();
    await new Promise((done) => other?.close(done));
  });

  /** Opens /ws from a page at `url`: `open`, or how it closed. */
  async function openFrom(url: string) {
    const tab = await browser.context.newPage();
    try {
      await tab.goto(url);
      return await tab.evaluate(
        (wsUrl) =>
          new Promise<string>((done) => {
            const ws = new WebSocket(wsUrl);
            ws.onopen = () => {
              done('open');
              ws.close();
            };
            ws.onclose = (event) => done(`closed ${event.code}`);
          }),
        server.wsUrl,
      );
    } finally {
      await tab.close();
    }
  }

  it('refuses a page served from another port, and logs the refusal', async () => {
    expect(await openFrom(otherUrl)).toBe('closed 1006');
    expect(serverLog).toContainEqual(
      expect.stringContaining(`/ws refused a page from ${otherUrl.slice(0, -1)} (HTTP 403)`),
    );
  });

  it('accepts its own page under the name localhost too', async () => {
    expect(await openFrom(`http://localhost:${server.port}/`)).toBe('open');
  });
});
