// Several tabs of one Chromium profile, each with the script-tag build, for the `share` e2e
// tests. The back/forward cache stays on (Playwright turns it off by default), and a second
// page (`/other`) gives a tab somewhere to navigate to.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, findChromium } from '../../../test/support/browser';
import { requireBuilt } from '../../../test/support/build';

const BUNDLE = fileURLToPath(new URL('../dist/lifeline.iife.min.js', import.meta.url));
const page = (title: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,"></head>
<body><script src="/lifeline.iife.min.js"></script></body></html>`;

export interface Tabs {
  origin: string;
  context: BrowserContext;
  /** Opens a new tab on the page with the bundle loaded. */
  open(): Promise<Page>;
  /** Uncaught errors in any tab. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Starts the page server and a Chromium with the back/forward cache enabled. */
export async function openTabs(): Promise<Tabs> {
  requireBuilt(BUNDLE);
  const bundle = readFileSync(BUNDLE);
  const http: Server = createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(page('tab'));
    else if (req.url === '/other')
      res.writeHead(200, { 'content-type': 'text/html' }).end(page('other'));
    else if (req.url === '/lifeline.iife.min.js')
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-share-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: findChromium(),
    headless: true,
    args: CHROMIUM_FLAGS,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  });
  const pageErrors: string[] = [];
  return {
    origin,
    context,
    pageErrors,
    async open() {
      const tab = await context.newPage();
      tab.on('pageerror', (error) => pageErrors.push(error.message));
      await tab.goto(`${origin}/`, { waitUntil: 'load' });
      return tab;
    },
    async close() {
      await context.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
