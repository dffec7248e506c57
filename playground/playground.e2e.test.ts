// The playground page in real Chromium against the dev server: connect, send, faults,
// text-only rendering, the handshake check. Loads core through the built script-tag bundle.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchChromium } from '../test/support/browser';
import { requireBuilt } from '../test/support/build';
import { type DevServer, startDevServer } from './server';

const BUNDLE = fileURLToPath(
  new URL('../packages/core/dist/lifeline.iife.min.js', import.meta.url),
);
const SCREENSHOT = fileURLToPath(new URL('./screenshot.png', import.meta.url));
const XSS = '<img src=x onerror=alert(1)>';

let server: DevServer;
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
  server = await startDevServer({ port: 0, log: () => {} });
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

  it('ran without page errors; screenshot saved', async () => {
    expect(pageErrors).toEqual([]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});
