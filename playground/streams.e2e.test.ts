// The playground's Stream panel in real Chromium against the dev server: subscribed to
// `ticks` (published every 100 ms), the page rides out drop, blackhole and restart faults and
// the app receives every seq of the epoch exactly once, with no resync. The counts are the
// page's own, computed from the seqs the app received (web/stream-tally.js).
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedBrowser, launchChromium } from '../test/support/browser';
import { requireBuilt } from '../test/support/build';
import { type DevServer, startDevServer } from './server';

const BUNDLE = fileURLToPath(
  new URL('../packages/core/dist/lifeline.iife.min.js', import.meta.url),
);

let server: DevServer;
let browser: LaunchedBrowser;
let page: Page;
const pageErrors: string[] = [];

const byId = (id: string) => `[data-testid="${id}"]`;
const text = async (id: string) => (await page.textContent(byId(id))) ?? '';

/** What the Stream panel shows, read in one go (it redraws once a frame). */
const panel = () =>
  page.evaluate(() => {
    const field = (name: string) =>
      document.querySelector<HTMLElement>(`[data-testid="stream-${name}"]`)!;
    const range = field('range').dataset;
    return {
      status: field('status').textContent ?? '',
      received: Number(field('received').textContent),
      missed: field('missed').textContent ?? '',
      repeated: field('repeated').textContent ?? '',
      gaps: Number(field('gaps').textContent),
      resyncs: Number(field('resyncs').textContent),
      epoch: range.epoch ?? '',
      first: range.first ?? '',
      last: range.last ?? '',
    };
  });

/** Waits until the element's text satisfies `test`. */
const waitForTextMatching = (id: string, pattern: RegExp, timeout = 15_000) =>
  page.waitForFunction(
    ([selector, source]) =>
      new RegExp(source!).test(document.querySelector(selector!)?.textContent ?? ''),
    [byId(id), pattern.source] as const,
    { timeout },
  );

/** Waits until the panel shows at least `count` messages received. */
const waitForReceived = (count: number) =>
  page.waitForFunction(
    ([selector, least]) => Number(document.querySelector(selector!)?.textContent) >= least!,
    [byId('stream-received'), count] as const,
    { timeout: 15_000 },
  );

const closeRows = () => page.locator(`${byId('timeline')} [data-kind="close"]`).count();

/** Waits for a new close row (after `before` of them) whose text includes `what`. */
const waitForClose = (before: number, what: string) =>
  page.waitForFunction(
    ([selector, skip, expected]) =>
      [...document.querySelectorAll(selector!)]
        .slice(Number(skip))
        .some((row) => row.textContent?.includes(expected!)),
    [`${byId('timeline')} [data-kind="close"]`, before, what] as const,
    { timeout: 15_000 },
  );

/** Every seq from first to last arrived exactly once, in one epoch, with nothing lost. */
function expectWhole(shown: Awaited<ReturnType<typeof panel>>, epoch: string) {
  expect(shown.epoch).toBe(epoch);
  expect(shown.missed).toBe('0');
  expect(shown.repeated).toBe('0');
  expect(shown.resyncs).toBe(0);
  expect(BigInt(shown.last) - BigInt(shown.first) + 1n).toBe(BigInt(shown.received));
}

/** Applies a fault, waits for the close it causes, live again and ten more ticks. */
async function ride(fault: () => Promise<void>, close: string) {
  const before = await panel();
  const rows = await closeRows();
  await fault();
  await waitForClose(rows, close);
  await waitForTextMatching('status', /^open$/);
  await waitForTextMatching('stream-status', /^live$/);
  const live = await panel();
  await waitForReceived(live.received + 10);
  const after = await panel();
  // The fault cost the app nothing: the seqs missed on the wire were replayed in order.
  expect(BigInt(after.last)).toBeGreaterThanOrEqual(BigInt(before.last) + 10n);
  return after;
}

beforeAll(async () => {
  requireBuilt(BUNDLE);
  server = await startDevServer({ port: 0, log: () => {} });
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Stream panel', () => {
  let epoch = '';

  it('subscribes to ticks and counts them, with a heartbeat on to catch a blackhole', async () => {
    await page.fill('[name="initialDelay"]', '200');
    await page.fill('[name="maxDelay"]', '1000');
    await page.selectOption('[name="jitter"]', 'none');
    await page.check('[name="heartbeat"]');
    await page.fill('[name="heartbeatInterval"]', '300');
    await page.fill('[name="heartbeatTimeout"]', '600');
    await page.click(byId('connect'));
    await waitForTextMatching('status', /^open$/);
    expect(await page.inputValue(byId('stream-name'))).toBe('ticks');
    await page.click(byId('stream-subscribe'));
    await waitForTextMatching('stream-status', /^live$/);
    await waitForReceived(5);
    const shown = await panel();
    epoch = shown.epoch;
    expect(epoch).not.toBe('');
    expectWhole(shown, epoch);
    expect(await text('stream-position')).toMatch(/^.+\/\d+$/);
    const messages = await page.$$eval(`${byId('stream-message')}`, (codes) =>
      codes.map((code) => code.textContent),
    );
    expect(messages.at(-1)).toMatch(/^#\d+ tick \{"n":\d+,"at":\d+\}$/);
    // Ticks stay out of the message log unless asked for.
    expect(await page.locator(`${byId('log')} li`, { hasText: '"stream":"ticks"' }).count()).toBe(
      0,
    );
  });

  it('after "drop" (1006): reconnects, resumes, nothing missed', async () => {
    expectWhole(await ride(() => page.click(byId('fault-drop')), 'code 1006'), epoch);
  });

  it('after "blackhole": the heartbeat times out (4000), it resumes, nothing missed', async () => {
    const after = await ride(
      () => page.click(byId('fault-blackhole')),
      'code 4000 "heartbeat timeout"',
    );
    expectWhole(after, epoch);
  });

  it('after "restart 2 s" (1012): back in the same epoch without a resync, nothing missed', async () => {
    await page.fill(byId('restart-seconds'), '2');
    const before = await panel();
    const after = await ride(() => page.click(byId('fault-restart')), 'code 1012');
    expectWhole(after, epoch);
    // About 20 ticks were published while /ws was down; the app got them all, replayed.
    expect(BigInt(after.last) - BigInt(before.last)).toBeGreaterThanOrEqual(30n);
  });

  it('unsubscribes: the count stops and the status is closed', async () => {
    await page.click(byId('stream-unsubscribe'));
    await waitForTextMatching('stream-status', /^closed$/);
    const stopped = await panel();
    await page.waitForTimeout(500);
    expect((await panel()).received).toBe(stopped.received);
    expect(pageErrors).toEqual([]);
  });
});
