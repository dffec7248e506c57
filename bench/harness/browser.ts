// One Chromium for a whole benchmark run, and fresh pages with the harness script loaded.
import type { Page } from 'playwright-core';
import { type LaunchedBrowser, launchChromium } from '../../test/support/browser';
import { bundlePage } from './bundle';

export interface BenchBrowser {
  /** Chromium's version string, for the machine notes. */
  readonly version: string;
  /** A blank page with `globalThis.lifelineBench` ready. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function openBenchBrowser(): Promise<BenchBrowser> {
  const [script, launched] = await Promise.all([bundlePage(), launchChromium()]);
  const version = launched.context.browser()?.version() ?? (await versionFromPage(launched));
  return {
    version,
    async newPage() {
      const page = await launched.context.newPage();
      page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
      await page.addScriptTag({ content: script });
      return page;
    },
    close: () => launched.close(),
  };
}

async function versionFromPage(launched: LaunchedBrowser): Promise<string> {
  const page = await launched.context.newPage();
  const agent = await page.evaluate(() => navigator.userAgent);
  await page.close();
  return /Chrome\/([\d.]+)/.exec(agent)?.[1] ?? 'unknown';
}
