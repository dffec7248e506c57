// `share` (DESIGN §11) in real Chromium: several tabs of one profile, each with the
// script-tag build, against the real @lifeline/server. One connection for all tabs; sends,
// requests and stream messages reach the right tab once; a leader that closes, freezes or
// goes into the back/forward cache is replaced without losing or repeating anything.
import type * as Core from '@lifeline/core';
import { createServer, type LifelineServer } from '@lifeline/server';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTabs, type Tabs } from './share-pages';

interface Tab {
  Lifeline: typeof Core;
  socket: Core.Socket;
  sub: Core.Subscription | undefined;
  /** [role, Date.now()] of each `role` event. */
  roles: Array<[string, number]>;
  /** Seqs delivered to the subscription, in order. */
  got: string[];
  /** Raw reply frames (with `re`) this tab received. */
  replies: number;
  /** Settled requests: [index, outcome]. */
  settled: Array<[number, unknown]>;
  until(predicate: () => boolean, ms: number, what: string): Promise<void>;
}

let tabs: Tabs;
let server: LifelineServer;
let gate: { open: () => void; promise: Promise<void> };
const notes: string[] = [];
const pages: Page[] = [];

function newGate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  gate = { open, promise };
}

beforeAll(async () => {
  tabs = await openTabs();
  server = createServer({ port: 0, allowOrigins: [tabs.origin], pingInterval: 0 });
  await server.ready();
  server.handle('who', (data) => data);
  // Answers only once the test opens the gate: requests stay unanswered across a handoff.
  server.handle('slow', async (data) => {
    await gate.promise;
    return data;
  });
  server.on('message', (envelope) => {
    if (envelope.type === 'note') notes.push((envelope.data as { tab: string }).tab);
  });
});

afterEach(async () => {
  for (const page of pages.splice(0)) await page.close().catch(() => {});
  notes.length = 0;
  const end = Date.now() + 5000;
  while (server.clients > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
});

afterAll(async () => {
  await server?.close();
  await tabs?.close();
});

const url = () => `ws://127.0.0.1:${server.port}/ws`;

/** Opens a tab whose socket shares `name`, subscribed to `stream` when given. */
async function tab(name: string, stream?: string, solo = false): Promise<Page> {
  const page = await tabs.open();
  pages.push(page);
  await page.evaluate(
    ({ url, name, stream, solo }) => {
      const w = window as unknown as Tab;
      if (solo) Object.defineProperty(navigator, 'locks', { value: undefined });
      w.until = async (predicate, ms, what) => {
        const end = performance.now() + ms;
        while (!predicate()) {
          if (performance.now() > end) throw new Error(`timed out after ${ms} ms: ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };
      w.roles = [];
      w.got = [];
      w.replies = 0;
      w.settled = [];
      w.sub = undefined;
      w.socket = new w.Lifeline.Socket(url, { share: { name } });
      w.socket.on('role', (role) => w.roles.push([role, Date.now()]));
      w.socket.on('message', (event) => {
        if (typeof event.data === 'string' && event.data.includes('"re":')) w.replies++;
      });
      if (stream) w.sub = w.socket.subscribe(stream, (_data, message) => w.got.push(message.seq));
    },
    { url: url(), name, stream, solo },
  );
  return page;
}

/** Runs `fn(window)` in the page. */
const read = <T>(page: Page, fn: (w: Tab) => T) =>
  page.evaluate(`(${fn.toString()})(window)`) as Promise<Awaited<T>>;

async function waitIn(page: Page, predicate: string, ms: number): Promise<void> {
  await page.evaluate(
    async ({ predicate, ms }) => {
      const w = window as unknown as Tab;
      // Test code, evaluated in the page's global scope (where `socket`, `sub`, `got` live).
      const check = new Function(`return ${predicate}`) as () => boolean;
      await w.until(check, ms, predicate);
    },
    { predicate, ms },
  );
}

async function roleOf(page: Page): Promise<string> {
  return read(page, (w) => w.socket.role);
}

/** Waits until exactly one of `pages` leads and every socket is open; returns the leader. */
async function settled(list: Page[]): Promise<Page> {
  for (const page of list) await waitIn(page, `socket.status === 'open'`, 10_000);
  const roles = await Promise.all(list.map(roleOf));
  expect(roles.filter((role) => role === 'leader')).toHaveLength(1);
  return list[roles.indexOf('leader')]!;
}

/** Seqs "1".."n" as strings. */
const seqs = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

describe('share: one connection for all tabs', () => {
  it('3 tabs: one server connection; sends, requests and stream messages reach their tab once', async () => {
    const list = [await tab('three', 'room'), await tab('three', 'room'), await tab('three')];
    await settled(list);
    for (const page of list) await waitIn(page, `!sub || sub.status === 'live'`, 5000);
    expect(server.clients).toBe(1);
    expect(server.stats.connections).toBeGreaterThan(0);

    // Sends: each tab's arrives once.
    for (const [i, page] of list.entries())
      await page.evaluate(
        (i) => (window as unknown as Tab).socket.sendJson('note', { tab: `t${i}` }),
        i,
      );
    const end = Date.now() + 3000;
    while (notes.length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    expect(notes.sort()).toEqual(['t0', 't1', 't2']);

    // Requests: each reply in its own tab only.
    const answers = await Promise.all(
      list.map((page, i) =>
        page.evaluate(async (i) => {
          const w = window as unknown as Tab;
          const got = [];
          for (let n = 0; n < 5; n++) got.push(await w.socket.request('who', { tab: i, n }));
          return got;
        }, i),
      ),
    );
    for (const [i, got] of answers.entries())
      expect(got).toEqual(seqs(0, 4).map((n) => ({ tab: i, n: Number(n) })));
    // Its 5 replies, plus the reply to its own subscribe in a subscribed tab: nothing else.
    for (const [i, page] of list.entries())
      expect(await read(page, (w) => w.replies)).toBe(i < 2 ? 6 : 5);
    // Stream: the two subscribed tabs get every message once, the third none.
    for (let i = 0; i < 20; i++) await server.publish('room', 'tick', { i });
    for (const page of list.slice(0, 2)) {
      await waitIn(page, 'got.length >= 20', 5000);
      await new Promise((r) => setTimeout(r, 100));
      expect(await read(page, (w) => w.got)).toEqual(seqs(1, 20));
    }
    expect(await read(list[2]!, (w) => w.got)).toEqual([]);
    expect(server.clients).toBe(1);
    expect(tabs.pageErrors).toEqual([]);
  });

  /** Publishes to `stream` every 10 ms until stopped; resolves with the last seq. */
  function publishing(stream: string) {
    let stop = false;
    let last = '0';
    const done = (async () => {
      while (!stop) {
        last = (await server.publish(stream, 'tick', {})).seq;
        await new Promise((r) => setTimeout(r, 10));
      }
      return last;
    })();
    return {
      stop: () => {
        stop = true;
        return done;
      },
    };
  }

  /** Sends `count` slow requests from `page`; they settle into `settled`. */
  async function slowRequests(page: Page, from: number, count: number): Promise<void> {
    await page.evaluate(
      ({ from, count }) => {
        const w = window as unknown as Tab;
        for (let i = from; i < from + count; i++)
          w.socket.request('slow', { i }, { timeout: 30_000 }).then(
            (data) => w.settled.push([i, data]),
            (error) => w.settled.push([i, String(error)]),
          );
      },
      { from, count },
    );
  }

  /** Every request settled once, with its own reply; every seq after the first delivered once. */
  async function expectIntact(page: Page, from: number, count: number, last: string) {
    await waitIn(page, `settled.length >= ${count}`, 10_000);
    await waitIn(page, `got.at(-1) === '${last}'`, 10_000);
    await new Promise((r) => setTimeout(r, 200)); // anything repeated would arrive by now
    const { settled, got } = await read(page, (w) => ({ settled: w.settled, got: w.got }));
    expect(settled.map(([i]) => i).sort((a, b) => a - b)).toEqual(
      Array.from({ length: count }, (_, k) => from + k),
    );
    for (const [i, data] of settled) expect(data).toEqual({ i });
    expect(got).toEqual(seqs(Number(got[0]), Number(last)));
  }

  it('the leader closes under 100 msg/s with 30 requests unanswered: a new leader within 1 s, nothing lost or repeated', async () => {
    newGate();
    const list = [
      await tab('handoff', 'ticks'),
      await tab('handoff', 'ticks'),
      await tab('handoff', 'ticks'),
    ];
    const leader = await settled(list);
    for (const page of list) await waitIn(page, `sub.status === 'live'`, 5000);
    const rest = list.filter((page) => page !== leader);
    const feed = publishing('ticks');
    await new Promise((r) => setTimeout(r, 500));
    await slowRequests(rest[0]!, 0, 15);
    await slowRequests(rest[1]!, 100, 15);
    await new Promise((r) => setTimeout(r, 300)); // the 30 reach the server: unanswered
    const closedAt = Date.now();
    await leader.close();
    pages.splice(pages.indexOf(leader), 1);
    // The new leader: one of the others, within 1 s.
    const end = Date.now() + 5000;
    let takeover: number | undefined;
    while (takeover === undefined && Date.now() < end) {
      for (const page of rest) {
        const roles = await read(page, (w) => w.roles);
        const lead = roles.find(([role, at]) => role === 'leader' && at >= closedAt);
        if (lead) takeover = lead[1] - closedAt;
      }
      if (takeover === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    console.log(`handoff after close: new leader in ${takeover} ms`);
    expect(takeover).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 1000)); // publishing goes on through the handoff
    const last = await feed.stop();
    gate.open();
    await expectIntact(rest[0]!, 0, 15, last);
    await expectIntact(rest[1]!, 100, 15, last);
    for (const page of rest) expect((await read(page, (w) => w.got))[0]).toBe('1');
    expect(server.clients).toBe(1);
  });

  /** Waits (in Node) until `page` has had the role `role` since `since`; returns when. */
  async function roleSince(page: Page, role: string, since: number, ms: number): Promise<number> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const roles = await read(page, (w) => w.roles);
      const hit = roles.find(([r, at]) => r === role && at >= since);
      if (hit) return hit[1];
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no ${role} role within ${ms} ms`);
  }

  it('a frozen leader is replaced within 5 s; thawed, it steps down and nothing is delivered twice', async () => {
    newGate();
    const list = [
      await tab('frozen', 'ticks2'),
      await tab('frozen', 'ticks2'),
      await tab('frozen', 'ticks2'),
    ];
    const leader = await settled(list);
    for (const page of list) await waitIn(page, `sub.status === 'live'`, 5000);
    const rest = list.filter((page) => page !== leader);
    const feed = publishing('ticks2');
    await new Promise((r) => setTimeout(r, 300));
    await slowRequests(rest[0]!, 0, 10);
    await slowRequests(leader, 200, 10);
    const cdp = await tabs.context.newCDPSession(leader);
    const frozenAt = Date.now();
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    // Headless Chromium keeps a page it cannot hide running after that call (its timers tick
    // on): pausing its JavaScript as well stops it the way a freeze does, lock held and
    // connection open, with every task queued until it resumes.
    await cdp.send('Debugger.enable');
    await cdp.send('Debugger.pause');
    await slowRequests(rest[1]!, 100, 10); // sent while the leader is frozen
    const takenAt = Math.min(
      ...(await Promise.all(
        rest.map((page) => roleSince(page, 'leader', frozenAt, 8000).catch(() => Infinity)),
      )),
    );
    console.log(`frozen leader replaced after ${takenAt - frozenAt} ms`);
    expect(takenAt - frozenAt).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 500));
    const thawedAt = Date.now();
    await cdp.send('Debugger.resume');
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    await cdp.send('Debugger.disable');
    const stepDown = await roleSince(leader, 'follower', thawedAt, 5000);
    console.log(`thawed leader stepped down after ${stepDown - thawedAt} ms`);
    await new Promise((r) => setTimeout(r, 500));
    const last = await feed.stop();
    gate.open();
    await expectIntact(rest[0]!, 0, 10, last);
    await expectIntact(rest[1]!, 100, 10, last);
    await expectIntact(leader, 200, 10, last);
    for (const page of list) expect((await read(page, (w) => w.got))[0]).toBe('1');
    const roles = await Promise.all(list.map(roleOf));
    expect(roles.filter((role) => role === 'leader')).toHaveLength(1);
    const end = Date.now() + 5000;
    while (server.clients > 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(server.clients).toBe(1);
  });

  it('a leader that goes into the back/forward cache hands over, and rejoins as a follower', async () => {
    const list = [await tab('bfcache', 'ticks3'), await tab('bfcache', 'ticks3')];
    const leader = await settled(list);
    for (const page of list) await waitIn(page, `sub.status === 'live'`, 5000);
    const other = list.find((page) => page !== leader)!;
    await leader.evaluate(() => {
      const w = window as unknown as Tab & { shows: boolean[] };
      w.shows = [];
      addEventListener('pageshow', (event) => w.shows.push(event.persisted));
    });
    for (let i = 0; i < 5; i++) await server.publish('ticks3', 'tick', {});
    const leftAt = Date.now();
    await leader.goto(`${tabs.origin}/other`, { waitUntil: 'load' });
    const took = (await roleSince(other, 'leader', leftAt, 5000)) - leftAt;
    console.log(`leader navigated away: new leader after ${took} ms`);
    expect(took).toBeLessThan(1000);
    for (let i = 0; i < 5; i++) await server.publish('ticks3', 'tick', {});
    const backAt = Date.now();
    // A page restored from the cache fires `pageshow`, not `load`.
    await leader.goBack({ waitUntil: 'commit' });
    await new Promise((r) => setTimeout(r, 300));
    const restored = await leader.evaluate(() => {
      const w = window as unknown as Tab & { shows?: boolean[] };
      const entry = performance.getEntriesByType('navigation')[0] as PerformanceEntry & {
        notRestoredReasons?: unknown;
      };
      return { shows: w.shows, reasons: entry?.notRestoredReasons ?? null };
    });
    console.log('back/forward cache:', JSON.stringify(restored));
    expect(restored.shows, `not restored: ${JSON.stringify(restored.reasons)}`).toEqual([true]);
    await waitIn(leader, `socket.status === 'open'`, 5000);
    await roleSince(leader, 'follower', leftAt, 1000);
    expect(await roleOf(leader)).toBe('follower');
    expect(await roleOf(other)).toBe('leader');
    await waitIn(leader, `got.at(-1) === '10'`, 5000);
    expect(await read(leader, (w) => w.got)).toEqual(seqs(1, 10));
    expect(await read(other, (w) => w.got)).toEqual(seqs(1, 10));
    console.log(`back: open again after ${Date.now() - backAt} ms`);
    expect(server.clients).toBe(1);
  });

  it('without navigator.locks each tab connects on its own (role solo)', async () => {
    const list = [await tab('solo', undefined, true), await tab('solo', undefined, true)];
    for (const page of list) await waitIn(page, `socket.status === 'open'`, 5000);
    expect(await Promise.all(list.map(roleOf))).toEqual(['solo', 'solo']);
    expect(server.clients).toBe(2);
    expect(await list[0]!.evaluate(() => (window as unknown as Tab).socket.request('who', 1))).toBe(
      1,
    );
  });
});
