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
  /** Every `restored` event of this page's socket, the one of its start first. */
  restored: Core.RestoredEvent[];
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
function make(page: Page, name: string, autoConnect = true): Promise<Core.RestoredEvent> {
  return page.evaluate(
    ({ url, name, autoConnect }) => {
      const w = window as unknown as TabGlobals;
      w.answers = [];
      w.replies = [];
      w.restored = [];
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
        autoConnect,
      });
      w.socket = socket;
      socket.on('reply', (event) => w.replies.push(event));
      socket.on('restored', (event) => w.restored.push(event));
      socket.on('error', (error) => w.errors.push((error as { code?: string }).code ?? ''));
      return new Promise<Core.RestoredEvent>((resolve) => socket.once('restored', resolve));
    },
    { url: server.url('/'), name, autoConnect },
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

/** Waits until one of `among` leads and the others follow: [leader, ...followers]. */
async function roles(among: Page[]): Promise<Page[]> {
  const end = Date.now() + 5000;
  for (;;) {
    const each = await Promise.all(among.map(roleOf));
    const leaders = among.filter((_, k) => each[k] === 'leader');
    if (leaders.length === 1 && each.filter((r) => r === 'follower').length === among.length - 1)
      return [leaders[0]!, ...among.filter((page) => page !== leaders[0])];
    if (Date.now() > end) throw new Error(`roles: ${each}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `count` tabs, sockets made (nothing restored), roles settled: [leader, ...followers]. */
async function sharingTabs(name: string, count: number): Promise<Page[]> {
  const opened: Page[] = [];
  for (let k = 0; k < count; k++) {
    const page = await tabs.open();
    pages.push(page);
    opened.push(page);
    expect(await make(page, name)).toEqual({ messages: 0, requests: 0 });
  }
  return roles(opened);
}

/** The two tabs, sockets made, roles settled: [leader, follower]. */
const twoTabs = async (name: string) => (await sharingTabs(name, 2)) as [Page, Page];

/** Waits until the outbox `name` holds `count` entries (read in `page`). */
const untilEntries = (page: Page, name: string, count: number) =>
  page.evaluate(
    async ({ name, count }) => {
      const w = window as unknown as TabGlobals;
      const end = performance.now() + 5000;
      while ((await w.entries(name)) !== count && performance.now() < end)
        await new Promise((r) => setTimeout(r, 10));
      return w.entries(name);
    },
    { name, count },
  );

/** Closes a tab for good (no reload): its socket's entries stay in the outbox. */
async function closeTab(page: Page): Promise<void> {
  await page.close();
  pages.splice(pages.indexOf(page), 1);
}

const frames = () =>
  server.received.map((frame) => JSON.parse(frame) as { type: string; id?: string; data: unknown });

/** Waits for 8 frames per tab, then a while for any duplicate to show. */
async function delivered(count = 16): Promise<ReturnType<typeof frames>> {
  await server.waitFor(() => server.received.length >= count, 10_000, `${count} frames`);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return frames();
}

/** Each tab's notes once, in order, and 3 requests per tab with distinct ids. */
function expectEachOnce(got: ReturnType<typeof frames>, from = ['L', 'F']): string[] {
  expect(got).toHaveLength(8 * from.length);
  for (const tab of from)
    expect(
      got
        .filter((f) => f.type === 'note' && (f.data as { tab: string }).tab === tab)
        .map((f) => (f.data as { i: number }).i),
    ).toEqual([0, 1, 2, 3, 4]);
  const ids = got.filter((f) => f.type === 'sum').map((f) => f.id!);
  expect(new Set(ids).size).toBe(3 * from.length);
  return ids;
}

/** What the tab's socket restored after its start, and the `reply` events it got, once settled. */
const takenOver = (page: Page) =>
  page.evaluate(async () => {
    const w = window as unknown as TabGlobals;
    await new Promise((r) => setTimeout(r, 200));
    return { restored: w.restored.slice(1), replies: w.replies.map((r) => r.data) };
  });

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
    await closeTab(leader);
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

  it('a follower closes while the server is down: only the leader takes over its entries (a tab made later leaves them)', async () => {
    const [leader, other, gone] = await sharingTabs('follower-gone', 3);
    await sendFrom(gone!, 'G');
    expect(await untilEntries(leader!, 'follower-gone', 8)).toBe(8);
    await closeTab(gone!);
    // A new tab follows: what another tab left is not its to take, even at its start.
    const later = await tabs.open();
    pages.push(later);
    expect(await make(later, 'follower-gone')).toEqual({ messages: 0, requests: 0 });
    expect(await roleOf(later)).toBe('follower');
    await server.start();
    expectEachOnce(await delivered(8), ['G']);
    // The leader took them when its connection opened: its `restored`, the replies its events.
    const byLeader = await takenOver(leader!);
    expect(byLeader.restored).toEqual([{ messages: 5, requests: 3 }]);
    expect(byLeader.replies).toHaveLength(3);
    for (const follower of [other!, later])
      expect(await takenOver(follower)).toEqual({ restored: [], replies: [] });
    expect(await untilEntries(leader!, 'follower-gone', 0)).toBe(0);
  });

  it('the leader closes too: the follower promoted later takes over what both gone tabs left, each once', async () => {
    const [leader, ...followers] = await sharingTabs('promoted', 3);
    const gone = followers.pop()!;
    await sendFrom(gone, 'F');
    await sendFrom(leader!, 'L');
    expect(await untilEntries(leader!, 'promoted', 16)).toBe(16);
    await closeTab(gone);
    // Made while the old leader still leads: it follows, and takes nothing at its start.
    const later = await tabs.open();
    pages.push(later);
    expect(await make(later, 'promoted')).toEqual({ messages: 0, requests: 0 });
    await closeTab(leader!);
    const [promoted, follower] = await roles([followers[0]!, later]);
    await server.start();
    expectEachOnce(await delivered());
    const byPromoted = await takenOver(promoted!);
    expect(byPromoted.restored).toEqual([{ messages: 10, requests: 6 }]);
    expect(byPromoted.replies).toHaveLength(6);
    expect(await takenOver(follower!)).toEqual({ restored: [], replies: [] });
    expect(await untilEntries(promoted!, 'promoted', 0)).toBe(0);
  });

  it('a follower closes while the connection stays open: the leader, waiting on its lock, takes its entries at once', async () => {
    const [leader, follower] = await twoTabs('watched');
    // Queued while the server is down, then kept by close() (the tab lives on, its socket idle).
    await follower!.evaluate(() => {
      const w = window as unknown as TabGlobals;
      for (let i = 0; i < 5; i++) w.socket.sendJson('note', { tab: 'F', i });
      w.socket.close();
    });
    expect(await untilEntries(leader!, 'watched', 5)).toBe(5);
    await server.start();
    // The leader's connection opens; its claim leaves the live follower's records and waits
    // for the follower's owner lock.
    await leader!.evaluate(async () => {
      const end = performance.now() + 5000;
      const waiting = async () =>
        (await navigator.locks.query()).pending?.some((l) =>
          l.name?.startsWith('lifeline-persist:watched:'),
        );
      while (!(await waiting()) && performance.now() < end)
        await new Promise((r) => setTimeout(r, 10));
    });
    expect(await roleOf(leader!)).toBe('leader');
    expect(server.received).toEqual([]);
    await closeTab(follower!);
    await server.waitFor(() => server.received.length >= 5, 5000, '5 frames');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(frames().map((f) => (f.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4]);
    expect((await takenOver(leader!)).restored).toEqual([{ messages: 5, requests: 0 }]);
    expect(await untilEntries(leader!, 'watched', 0)).toBe(0);
  });

  it("a tab that starts after the leader's claim and goes before it links up: the leader takes its entries at once", async () => {
    const [leader] = await sharingTabs('late', 1);
    await server.start();
    await leader!.evaluate(() => {
      const { socket } = window as unknown as TabGlobals;
      return socket.status === 'open' ? undefined : new Promise((r) => socket.once('open', r));
    });
    // The leader claimed at that open. This tab starts after it and never links up (its
    // socket does not connect), so the leader's claims never saw its records.
    const late = await tabs.open();
    pages.push(late);
    expect(await make(late, 'late', false)).toEqual({ messages: 0, requests: 0 });
    await late.evaluate(() => {
      const w = window as unknown as TabGlobals;
      for (let i = 0; i < 5; i++) w.socket.sendJson('note', { tab: 'T', i });
    });
    expect(await untilEntries(leader!, 'late', 5)).toBe(5);
    expect(server.received).toEqual([]);
    await closeTab(late);
    await server.waitFor(() => server.received.length >= 5, 5000, '5 frames');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(frames().map((f) => (f.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4]);
    expect((await takenOver(leader!)).restored).toEqual([{ messages: 5, requests: 0 }]);
    expect(await untilEntries(leader!, 'late', 0)).toBe(0);
  });
});
