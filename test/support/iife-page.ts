// A Chromium page that loads the script-tag build (`dist/lifeline.iife.min.js`, global
// `Lifeline`) from a local HTTP server, for the core's browser tests. Page errors are
// collected so a test can assert that nothing in the bundle threw.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { type LaunchedBrowser, launchChromium } from './browser';
import { requireBuilt } from './build';

const BUNDLE = fileURLToPath(
  new URL('../../packages/core/dist/lifeline.iife.min.js', import.meta.url),
);
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Lifeline IIFE</title><link rel="icon" href="data:,"></head>
<body><script src="/lifeline.iife.min.js"></script></body></html>`;

export interface IifePage {
  page: Page;
  /** `http://127.0.0.1:<port>` the page was loaded from. */
  origin: string;
  /** Uncaught errors in the page, in order. */
  pageErrors: string[];
  /** `console.error` messages of the page, in order. */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** Starts the page server and Chromium, and opens the page with the global `Lifeline` loaded. */
export async function openIifePage(): Promise<IifePage> {
  requireBuilt(BUNDLE);
  const bundle = readFileSync(BUNDLE);
  const http: Server = createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    else if (req.url === '/lifeline.iife.min.js')
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  let browser: LaunchedBrowser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    const opened = browser;
    return {
      page,
      origin,
      pageErrors,
      consoleErrors,
      async close() {
        await opened.close();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      },
    };
  } catch (error) {
    await browser?.close();
    http.close();
    throw error;
  }
}
