// Chromium for the persist e2e tests, launched by hand (not by Playwright) so that the tests
// own the process, SIGKILL it like a crash and start it again on the same profile, and so
// that the back/forward cache stays on (Playwright's own launch turns it off). Playwright
// drives it over CDP. The page comes from a local HTTP server whose port (the origin, and so
// the IndexedDB) stays the same across relaunches.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, findChromium } from '../../../test/support/browser';
import { requireBuilt } from '../../../test/support/build';

const BUNDLE = fileURLToPath(new URL('../dist/lifeline.iife.min.js', import.meta.url));
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>persist</title><link rel="icon" href="data:,"></head>
<body><script src="/lifeline.iife.min.js"></script></body></html>`;

/** The page server: `/` and `/other` load the bundle; the origin outlives browser restarts. */
export async function startPageServer(): Promise<{ origin: string; close(): Promise<void> }> {
  requireBuilt(BUNDLE);
  const bundle = readFileSync(BUNDLE);
  const http: Server = createServer((req, res) => {
    if (req.url === '/lifeline.iife.min.js')
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else if (req.url === '/' || req.url === '/other')
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

export interface OwnChromium {
  context: BrowserContext;
  /** Kills the browser process at once (SIGKILL): nothing gets to shut down cleanly. */
  crash(): Promise<void>;
  /** Ends the browser (SIGTERM). */
  close(): Promise<void>;
}

/** A profile directory that outlives browser restarts; `remove()` deletes it. */
export function makeProfile(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-persist-'));
  // Chromium's helper processes may still be closing files when the browser has exited.
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true, maxRetries: 10 }) };
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/** Starts Chromium on `profile` and connects to it. */
export async function launchOwnChromium(profile: string): Promise<OwnChromium> {
  const child = spawn(
    findChromium(),
    [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'],
    // Its own process group, so a crash takes its helper processes (renderers, network
    // service) down with it, as a real browser crash does, and none keeps writing the profile.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const killGroup = async (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      return; // the group is gone already
    }
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(-child.pid!, 0);
      } catch {
        return; // no process of the group is left
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${text}`)), 20_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code}): ${text}`));
    });
  });
  child.stderr!.resume();
  let browser: Browser;
  try {
    browser = await chromium.connectOverCDP(endpoint);
  } catch (error) {
    await killGroup('SIGKILL');
    throw error;
  }
  return {
    context: browser.contexts()[0]!,
    async crash() {
      await killGroup('SIGKILL');
      await exited(child);
      await browser.close().catch(() => {});
    },
    async close() {
      await browser.close().catch(() => {});
      child.kill('SIGTERM');
      await exited(child);
      await killGroup('SIGKILL'); // helpers that outlived the browser
    },
  };
}
