// `persist` together with `share` (DESIGN §10 + §11) in real Chromium: two tabs share one
// connection and one durable outbox name. Each tab's socket keeps its own entries (they go
// out through the leader's connection); when the leader reloads or closes while the server is
// down, every entry of both tabs still reaches the server exactly once, requests keep their
// ids, and their replies arrive (as `reply` events in a reloaded tab).
import type * as Core from '@lifeline/core';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { envelopeHandler } from '../../../test/support/envelope-handler';
import { startTestServer, type TestServer } from '../../../test/support/ws-server';
import { openTabs, type Tabs } from './share-pages';

interface TabGlobals {
  Lifeline: typeof Core;
  socket: Core.Socket;
  /** Outcomes of this page's own requests, and `reply` events (requests from before a reload). */
  answers: unknown[];
  replies: Core.ReplyEvent[];
  errors: string[];
  /** Entries in the outbox `name`, straight from IndexedDB (each batch record's). */
  entries(name: string): Promise<number>;
}

let tabs: Tabs;
let server: TestServer;
const pages: Page[] = [];

/** Answers every request `{ id }` with `ok <id>`; startTestServer records every frame. */
const answer = envelopeHandler({ reply: ({ id }) => `ok ${id}` });

beforeAll(async () => {
  tabs = await openTabs();
  server = await startTestServer({ onConnection: answer });
  await server.stop(); // down: each test starts it when it wants delivery
});

afterEach(async () => {
  for (const page of pages.splice(0)) await page.close().catch(() => {});
  await server.stop();
  server.received.splice(0);
});

afterAll(async () => {
  await server?.close();
  await tabs?.close();
});

/** Makes the tab's sharing, persisting socket (`name` for both); resolves once restored. */
function make(page: Page, name: string): Promise<Core.RestoredEvent> {
  return page.evaluate(
    ({ url, name }) => {
      const w = window as unknown as TabGlobals;
      w.answers = [];
      w.replies = [];
      w.errors = [];
      w.entries = (db) =>
        new Promise((resolve, reject) => {
          const request = indexedDB.open(`lifeline-persist:${db}`);
          request.onupgradeneeded = () => request.result.createObjectStore('outbox');
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const all = request.result.transaction('outbox').objectStore('outbox').getAll();
            all.onsuccess = () => {
              request.result.close();
              resolve(all.result.reduce((n, r) => n + (r?.n ?? r?.d ?? [r]).length, 0));
            };
          };
        });
      const socket = new w.Lifeline.Socket(url, {
        share: true,
        persist: { name },
        reconnect: { initialDelay: 50, maxDelay: 200 },
      });
      w.socket = socket;
      socket.on('reply', (event) => w.replies.push(event));
      socket.on('error', (error) => w.errors.push((error as { code?: string }).code ?? ''));
      return new Promise<Core.RestoredEvent>((resolve) => socket.once('restored', resolve));
    },
    { url: server.url('/'), name },
  );
}

/** 5 notes and 3 requests from the tab, while the server is down. */
const sendFrom = (page: Page, tab: string) =>
  page.evaluate((tab) => {
    const w = window as unknown as TabGlobals;
    for (let i = 0; i < 5; i++) w.socket.sendJson('note', { tab, i });
    for (let i = 0; i < 3; i++)
      w.socket.request('sum', { tab, i }).then(
        (data) => w.answers.push(data),
        (error: Error) => w.answers.push(error.message),
      );
  }, tab);

const roleOf = (page: Page) =>
  page.evaluate(() => (window as unknown as TabGlobals).socket.role as string);

/** The two tabs, sockets made, roles settled: [leader, follower]. */
async function twoTabs(name: string): Promise<[Page, Page]> {
  const a = await tabs.open();
  const b = await tabs.open();
  pages.push(a, b);
  expect(await make(a, name)).toEqual({ messages: 0, requests: 0 });
  expect(await make(b, name)).toEqual({ messages: 0, requests: 0 });
  const end = Date.now() + 5000;
  for (;;) {
    const roles = [await roleOf(a), await roleOf(b)];
    if (roles.includes('leader') && roles.includes('follower'))
      return roles[0] === 'leader' ? [a, b] : [b, a];
    if (Date.now() > end) throw new Error(`roles: ${roles}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const frames = () =>
  server.received.map((frame) => JSON.parse(frame) as { type: string; id?: string; data: unknown });

/** Waits for 16 frames (8 per tab), then a while for any duplicate to show. */
async function delivered(): Promise<ReturnType<typeof frames>> {
  await server.waitFor(() => server.received.length >= 16, 10_000, '16 frames');
  await new Promise((resolve) => setTimeout(resolve, 500));
  return frames();
}

/** Each tab's notes once, in order, and 3 requests per tab with distinct ids. */
function expectEachOnce(got: ReturnType<typeof frames>): string[] {
  expect(got).toHaveLength(16);
  for (const tab of ['L', 'F'])
    expect(
      got
        .filter((f) => f.type === 'note' && (f.data as { tab: string }).tab === tab)
        .map((f) => (f.data as { i: number }).i),
    ).toEqual([0, 1, 2, 3, 4]);
  const ids = got.filter((f) => f.type === 'sum').map((f) => f.id!);
  expect(new Set(ids).size).toBe(6);
  return ids;
}

describe('persist with share, in Chromium', () => {
  it('the leader reloads while the server is down: every entry of both tabs once, same ids, replies arrive', async () => {
    const [leader, follower] = await twoTabs('both-reload');
    await sendFrom(leader, 'L');
    await sendFrom(follower, 'F');
    await leader.evaluate(async () => {
      const w = window as unknown as TabGlobals;
      while ((await w.entries('both-reload')) < 16) await new Promise((r) => setTimeout(r, 10));
    });
    const before = await leader.evaluate(async () => {
      const w = window as unknown as TabGlobals;
      return w.entries('both-reload');
    });
    expect(before).toBe(16);
    await leader.reload();
    // The reloaded tab takes back what its previous page left (the follower's are alive).
    expect(await make(leader, 'both-reload')).toEqual({ messages: 5, requests: 3 });
    await server.start();
    const got = await delivered();
    const ids = expectEachOnce(got);
    const replies = await leader.evaluate(async () => {
      const w = window as unknown as TabGlobals;
      const end = performance.now() + 5000;
      while (w.replies.length < 3 && performance.now() < end)
        await new Promise((r) => setTimeout(r, 10));
      return w.replies;
    });
    expect(replies.map((r) => r.data).sort()).toEqual(replies.map((r) => `ok ${r.id}`).sort());
    expect(replies).toHaveLength(3);
    const answers = await follower.evaluate(async () => {
      const w = window as unknown as TabGlobals;
      const end = performance.now() + 5000;
      while (w.answers.length < 3 && performance.now() < end)
        await new Promise((r) => setTimeout(r, 10));
      return w.answers;
    });
    expect(answers).toHaveLength(3);
    expect(
      new Set([...replies.map((r) => r.id), ...answers.map((a) => String(a).slice(3))]),
    ).toEqual(new Set(ids));
    await follower.evaluate(async () => {
      const w = window as unknown as TabGlobals;
      const end = performance.now() + 5000;
      while ((await w.entries('both-reload')) > 0 && performance.now() < end)
        await new Promise((r) => setTimeout(r, 10));
    });
    expect(
      await follower.evaluate(() => (window as unknown as TabGlobals).entries('both-reload')),
    ).toBe(0);
  });

  it("the leader closes while the server is down: the other tab sends its own entries and the closed tab's, each once", async () => {
    const [leader, follower] = await twoTabs('both-close');
    await sendFrom(leader, 'L');
    await sendFrom(follower, 'F');
    await follower.evaluate(async () => {
      const w = window as unknown as TabGlobals;
      while ((await w.entries('both-close')) < 16) await new Promise((r) => setTimeout(r, 10));
    });
    await leader.close();
    pages.splice(pages.indexOf(leader), 1);
    await server.start();
    const got = await delivered();
    expectEachOnce(got);
    const answers = await follower.evaluate(async () => {
      const w = window as unknown as TabGlobals;
      const end = performance.now() + 5000;
      while (w.answers.length + w.replies.length < 6 && performance.now() < end)
        await new Promise((r) => setTimeout(r, 10));
      return { answers: w.answers.length, replies: w.replies.length };
    });
    // Its own requests settle as promises; the closed tab's come as `reply` events.
    expect(answers).toEqual({ answers: 3, replies: 3 });
    await follower.evaluate(async () => {
      const w = window as unknown as TabGlobals;
      const end = performance.now() + 5000;
      while ((await w.entries('both-close')) > 0 && performance.now() < end)
        await new Promise((r) => setTimeout(r, 10));
    });
    expect(
      await follower.evaluate(() => (window as unknown as TabGlobals).entries('both-close')),
    ).toBe(0);
  });
});
