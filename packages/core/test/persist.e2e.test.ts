// `persist` (DESIGN §10) in real Chromium with the script-tag build: the outbox survives a
// reload and a killed browser process and is delivered exactly once, also with two tabs of one
// name; stale entries expire; without storage the socket goes on in memory; a stream resumes
// across a reload without loss or duplicates; the page stays back/forward-cache eligible.
import type * as Core from '@lifeline/core';
import { createServer as createLifelineServer, type LifelineServer } from '@lifeline/server';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { envelopeHandler } from '../../../test/support/envelope-handler';
import { startTestServer, type TestServer } from '../../../test/support/ws-server';
import {
  launchOwnChromium,
  makeProfile,
  type OwnChromium,
  startPageServer,
} from './persist-browser';

/** What every page of these tests gets (an init script): the bundle's global and helpers. */
interface PageGlobals {
  Lifeline: typeof Core;
  socket: Core.Socket;
  errors: Array<{ code?: string; message: string }>;
  drops: Array<{ data: unknown; reason: string }>;
  replies: Core.ReplyEvent[];
  sleep(ms: number): Promise<void>;
  until(predicate: () => boolean, ms?: number): Promise<void>;
  /** Makes `socket` with persist `name`, records its events, resolves once restored. */
  make(url: string, name: string, extra?: object): Promise<Core.RestoredEvent | 'failed'>;
  /** The entries of the outbox `name`, straight from IndexedDB (each batch record's, in order). */
  records(name: string): Promise<Array<{ d: string; i?: string }>>;
  /** Polls `records(name)` until there are `count` (committed: durable). */
  recordsUntil(name: string, count: number): Promise<Array<{ d: string; i?: string }>>;
}

const HELPERS = () => {
  const w = window as unknown as PageGlobals;
  w.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  w.until = async (predicate, ms = 10_000) => {
    const end = performance.now() + ms;
    while (!predicate()) {
      if (performance.now() > end) throw new Error(`timed out: ${predicate}`);
      await w.sleep(10);
    }
  };
  w.errors = [];
  w.drops = [];
  w.replies = [];
  w.make = (url, name, extra = {}) => {
    const socket = new w.Lifeline.Socket(url, {
      persist: { name },
      reconnect: { initialDelay: 50, maxDelay: 200 },
      ...extra,
    });
    w.socket = socket;
    socket.on('error', (error) => {
      const code = (error as { code?: string }).code;
      if (code) w.errors.push({ code, message: error.message });
    });
    socket.on('drop', (event) => w.drops.push(event));
    socket.on('reply', (event) => w.replies.push(event));
    return new Promise((resolve) => {
      socket.once('restored', resolve);
      // Storage unavailable: no `restored` follows (an unreadable-records report is followed
      // by one at once).
      socket.on('error', (error) => {
        if ((error as { code?: string }).code === 'ERR_STORAGE')
          queueMicrotask(() => resolve('failed'));
      });
    });
  };
  w.records = (name) =>
    new Promise((resolve, reject) => {
      const request = indexedDB.open(`lifeline-persist:${name}`);
      request.onupgradeneeded = () => request.result.createObjectStore('outbox');
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const db = request.result;
        const all = db.transaction('outbox').objectStore('outbox').getAll();
        all.onsuccess = () => {
          db.close();
          // The entries of each batch record, in order: its frames (`d`, or `s` cut at the
          // lengths `n`), with the request ids of `q`.
          const framesOf = (record: { d?: string[]; s?: string; n?: Uint32Array }) => {
            if (record.d) return record.d;
            let at = 0;
            return Array.from(record.n ?? [], (length) => {
              at += length;
              return record.s!.slice(at - length, at);
            });
          };
          resolve(
            all.result.flatMap((record) =>
              record?.v === 2
                ? framesOf(record).map((d: string, k: number) => ({
                    d,
                    i: record.q?.find((q: [number, string]) => q[0] === k)?.[1],
                  }))
                : [record],
            ),
          );
        };
      };
    });
  w.recordsUntil = async (name, count) => {
    const end = performance.now() + 10_000;
    for (;;) {
      const records = await w.records(name);
      if (records.length === count) return records;
      if (performance.now() > end) throw new Error(`${records.length} records, not ${count}`);
      await w.sleep(10);
    }
  };
};

let pages: Awaited<ReturnType<typeof startPageServer>>;
let profile: ReturnType<typeof makeProfile>;
let browser: OwnChromium;
let server: TestServer;

/** Answers every request `{ id }` with `ok <id>`; startTestServer records every frame. */
const answer = envelopeHandler({ reply: ({ id }) => `ok ${id}` });

async function newPage(path = '/'): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${pages.origin}${path}`);
  return page;
}

/** Frames the server got whose JSON `type` is `type`, parsed. */
const receivedOf = (type: string) =>
  server.received
    .map((frame) => JSON.parse(frame) as { type: string; id?: string; data: unknown })
    .filter((envelope) => envelope.type === type);

beforeAll(async () => {
  pages = await startPageServer();
  profile = makeProfile();
  browser = await launchOwnChromium(profile.dir);
  await browser.context.addInitScript(HELPERS);
  server = await startTestServer({ onConnection: answer });
  await server.stop(); // down: tests start it when they want delivery
});

afterEach(async () => {
  for (const page of browser.context.pages())
    await page.evaluate(() => (window as unknown as PageGlobals).socket?.dispose()).catch(() => {});
  await server.stop();
  server.received.splice(0); // each test counts its own frames
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await pages?.close();
  profile?.remove();
});

describe('persist in Chromium', () => {
  it('10 sends and 5 requests while the server is down, a reload, the server up: each once, same ids, replies as `reply`', async () => {
    const url = server.url('/');
    const page = await newPage();
    await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      await w.make(url, 'reload');
      for (let i = 0; i < 10; i++) w.socket.sendJson('note', { i });
      for (let i = 0; i < 5; i++) w.socket.request('sum', { i }).catch(() => {});
    }, url);
    const ids = await page.evaluate(async () => {
      const records = await (window as unknown as PageGlobals).recordsUntil('reload', 15);
      return records.filter((r) => r.i).map((r) => r.i!);
    });
    expect(ids).toHaveLength(5);
    await page.reload();
    const restored = await page.evaluate(
      (url) => (window as unknown as PageGlobals).make(url, 'reload'),
      url,
    );
    expect(restored).toEqual({ messages: 10, requests: 5 });
    await server.start();
    await server.waitFor(() => server.received.length >= 15, 10_000, '15 frames');
    const replies = await page.evaluate(async () => {
      const w = window as unknown as PageGlobals;
      await w.until(() => w.replies.length === 5);
      await w.sleep(300); // time for anything sent twice to show
      await w.recordsUntil('reload', 0); // sent and answered: deleted
      return w.replies;
    });
    expect(receivedOf('note').map((e) => (e.data as { i: number }).i)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(receivedOf('sum').map((e) => e.id)).toEqual(ids);
    expect(server.received).toHaveLength(15);
    expect(replies).toEqual(ids.map((id) => ({ id, type: 'sum', data: `ok ${id}` })));
  });
  it('the browser process killed with 50 entries pending: after a restart on the same profile, all 50 delivered once', async () => {
    const url = server.url('/');
    const page = await newPage();
    await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      await w.make(url, 'crash');
      for (let i = 0; i < 40; i++) w.socket.sendJson('crash-note', { i });
      for (let i = 0; i < 10; i++) w.socket.request('crash-sum', { i }).catch(() => {});
      await w.recordsUntil('crash', 50); // committed
    }, url);
    await browser.crash(); // SIGKILL: no pagehide, no clean shutdown
    browser = await launchOwnChromium(profile.dir);
    await browser.context.addInitScript(HELPERS);
    const again = await newPage();
    const restored = await again.evaluate(
      (url) => (window as unknown as PageGlobals).make(url, 'crash'),
      url,
    );
    expect(restored).toEqual({ messages: 40, requests: 10 });
    await server.start();
    await server.waitFor(() => server.received.length >= 50, 10_000, '50 frames');
    await again.evaluate(async () => {
      const w = window as unknown as PageGlobals;
      await w.until(() => w.replies.length === 10);
      await w.sleep(300);
      await w.recordsUntil('crash', 0);
    });
    expect(receivedOf('crash-note').map((e) => (e.data as { i: number }).i)).toEqual(
      Array.from({ length: 40 }, (_, i) => i),
    );
    const ids = receivedOf('crash-sum').map((e) => e.id);
    expect(new Set(ids).size).toBe(10);
    expect(server.received).toHaveLength(50);
  });

  it('two tabs of one name: neither takes what the other waits to send; both reloaded at once, every entry goes out once', async () => {
    const url = server.url('/');
    const [a, b] = [await newPage(), await newPage()];
    const send = (page: Page, tab: string) =>
      page.evaluate(
        async ({ url, tab }) => {
          const w = window as unknown as PageGlobals;
          const restored = await w.make(url, 'tabs');
          for (let i = 0; i < 20; i++) w.socket.sendJson('tab-note', { tab, i });
          return restored;
        },
        { url, tab },
      );
    expect(await send(a, 'A')).toEqual({ messages: 0, requests: 0 });
    await a.evaluate(() => (window as unknown as PageGlobals).recordsUntil('tabs', 20));
    expect(await send(b, 'B')).toEqual({ messages: 0, requests: 0 }); // A is alive: its 20 stay A's
    await b.evaluate(() => (window as unknown as PageGlobals).recordsUntil('tabs', 40));
    await Promise.all([a.reload(), b.reload()]);
    const restored = await Promise.all(
      [a, b].map((page) =>
        page.evaluate((url) => (window as unknown as PageGlobals).make(url, 'tabs'), url),
      ),
    );
    const counts = restored.map((r) => (r === 'failed' ? -1 : r.messages));
    expect(counts[0]! + counts[1]!).toBe(40);
    await server.start();
    await server.waitFor(() => server.received.length >= 40, 10_000, '40 frames');
    await a.evaluate(async () => {
      const w = window as unknown as PageGlobals;
      await w.sleep(300);
      await w.recordsUntil('tabs', 0);
    });
    const got = receivedOf('tab-note').map((e) => {
      const { tab, i } = e.data as { tab: string; i: number };
      return `${tab}${i}`;
    });
    expect(got).toHaveLength(40);
    expect(new Set(got).size).toBe(40);
    // Each tab's own entries keep their order.
    for (const tab of ['A', 'B'])
      expect(got.filter((x) => x.startsWith(tab))).toEqual(
        Array.from({ length: 20 }, (_, i) => `${tab}${i}`),
      );
  });

  it('writes of one task go in one transaction as one record; each later task makes its own', async () => {
    const page = await newPage();
    const counts = await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      let writes = 0;
      const transaction = IDBDatabase.prototype.transaction;
      IDBDatabase.prototype.transaction = function (
        this: IDBDatabase,
        ...args: Parameters<typeof transaction>
      ) {
        if (args[1] === 'readwrite') writes++;
        return transaction.apply(this, args);
      };
      await w.make(url, 'tasks');
      const before = writes;
      for (let i = 0; i < 100; i++) w.socket.send(`burst ${i}`);
      await Promise.resolve(); // the batch is written at the end of the task's script
      const burst = writes - before;
      for (let task = 0; task < 3; task++) {
        await w.sleep(0);
        w.socket.send(`task ${task}`);
        w.socket.send(`task ${task} again`);
      }
      const records = await w.recordsUntil('tasks', 106);
      const batches = await new Promise<number>((resolve) => {
        const request = indexedDB.open('lifeline-persist:tasks');
        request.onsuccess = () => {
          const count = request.result.transaction('outbox').objectStore('outbox').count();
          count.onsuccess = () => {
            request.result.close();
            resolve(count.result);
          };
        };
      });
      return { burst, all: writes - before, records: records.length, batches };
    }, server.url('/'));
    // One record per task: the burst's 100 entries are one.
    expect(counts).toEqual({ burst: 1, all: 4, records: 106, batches: 4 });
  });

  it('entries older than maxAge are dropped as expired after a reload, never sent', async () => {
    const url = server.url('/');
    const page = await newPage();
    await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      await w.make(url, 'expiry', { persist: { name: 'expiry', maxAge: 500 } });
      for (let i = 0; i < 3; i++) w.socket.send(JSON.stringify({ type: 'stale', data: i }));
      await w.recordsUntil('expiry', 3);
    }, url);
    await page.reload();
    await page.waitForTimeout(700);
    const restored = await page.evaluate(
      (url) =>
        (window as unknown as PageGlobals).make(url, 'expiry', {
          persist: { name: 'expiry', maxAge: 500 },
        }),
      url,
    );
    expect(restored).toEqual({ messages: 3, requests: 0 });
    await server.start();
    const drops = await page.evaluate(async () => {
      const w = window as unknown as PageGlobals;
      await w.until(() => w.socket.status === 'open');
      w.socket.sendJson('fresh', 1);
      await w.recordsUntil('expiry', 0);
      return w.drops;
    });
    await server.waitFor(() => receivedOf('fresh').length === 1, 5000, 'the fresh message');
    expect(drops.map((d) => d.reason)).toEqual(['expired', 'expired', 'expired']);
    expect(receivedOf('stale')).toEqual([]);
  });

  it('without storage (IndexedDB throwing) the socket works in memory and says so once', async () => {
    const page = await newPage();
    const result = await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      indexedDB.open = () => {
        throw new DOMException(
          'The user denied permission to access the database.',
          'UnknownError',
        );
      };
      const restored = await w.make(url, 'nostorage');
      for (let i = 0; i < 3; i++) w.socket.sendJson('memory', i);
      return { restored, queued: w.socket.queued };
    }, server.url('/'));
    expect(result).toEqual({ restored: 'failed', queued: 3 });
    await server.start();
    await server.waitFor(() => receivedOf('memory').length === 3, 5000, '3 frames');
    const errors = await page.evaluate(async () => {
      const w = window as unknown as PageGlobals;
      await w.sleep(200);
      return w.errors;
    });
    expect(errors.map((e) => e.code)).toEqual(['ERR_STORAGE']);
  });

  it('corrupt records, and corrupt entries inside a batch, are skipped and reported; the good ones are sent', async () => {
    const page = await newPage();
    const result = await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('lifeline-persist:corrupt', 1);
        request.onupgradeneeded = () => request.result.createObjectStore('outbox');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction('outbox', 'readwrite');
          const store = tx.objectStore('outbox');
          store.put('garbage', [1, 'dead', 1]);
          store.put({ v: 1, o: 'dead', at: Date.now(), d: { not: 'a frame' } }, [1, 'dead', 2]);
          store.put({ v: 1, o: 'dead', at: Date.now(), d: '{"type":"good","data":1}' }, [
            1,
            'dead',
            3,
          ]);
          // A batch (this version's format) with a corrupt entry between two good ones.
          const at = Date.now();
          store.put(
            {
              v: 2,
              o: 'dead',
              t: [at, 'never', at],
              d: ['{"type":"good","data":2}', 'x', '{"type":"good","data":3}'],
            },
            [1, 'dead', 4],
          );
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
        };
      });
      const restored = await w.make(url, 'corrupt');
      return { restored, errors: w.errors.map((e) => e.code) };
    }, server.url('/'));
    expect(result).toEqual({ restored: { messages: 3, requests: 0 }, errors: ['ERR_STORAGE'] });
    await server.start();
    await server.waitFor(() => receivedOf('good').length === 3, 5000, 'the good entries');
    expect(receivedOf('good').map((e) => e.data)).toEqual([1, 2, 3]);
    expect(
      await page.evaluate(() => (window as unknown as PageGlobals).recordsUntil('corrupt', 0)),
    ).toEqual([]);
  });
});

describe('stream positions and the back/forward cache, in Chromium', () => {
  let lifeline: LifelineServer;
  let publisher: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    lifeline = createLifelineServer({ port: 0, allowOrigins: [pages.origin] });
    await lifeline.ready();
  });
  afterAll(async () => {
    clearInterval(publisher);
    await lifeline?.close();
  });

  it('a subscription resumed across a reload with 100 msg/s published: 0 lost, 0 duplicated', async () => {
    const url = `ws://127.0.0.1:${lifeline.port}/ws`;
    const page = await newPage();
    const subscribe = () =>
      page.evaluate(async (url) => {
        const w = window as unknown as PageGlobals;
        await w.make(url, 'streams');
        // Kept in sessionStorage, written as each message arrives: it outlives the page.
        const got = JSON.parse(sessionStorage.getItem('got') ?? '[]') as string[];
        const sub = w.socket.subscribe('ticks', (_data, message) => {
          got.push(message.seq);
          sessionStorage.setItem('got', JSON.stringify(got));
        });
        sub.on('resync', () => sessionStorage.setItem('resyncs', 'yes'));
        await w.until(() => sub.status === 'live');
      }, url);
    let published = 0;
    let last = '0';
    publisher = setInterval(() => {
      published++;
      void lifeline.publish('ticks', 'tick', { n: published }).then((position) => {
        if (position.seq.length > last.length || position.seq > last) last = position.seq;
      });
    }, 10);
    await subscribe();
    await page.waitForTimeout(1000);
    await page.reload();
    await subscribe();
    await page.waitForTimeout(1000);
    clearInterval(publisher);
    publisher = undefined;
    await new Promise((resolve) => setTimeout(resolve, 100)); // the last publishes settle
    const { got, resyncs } = await page.evaluate(async (last) => {
      const w = window as unknown as PageGlobals;
      const read = () => JSON.parse(sessionStorage.getItem('got') ?? '[]') as string[];
      await w.until(() => read().at(-1) === last);
      return { got: read(), resyncs: sessionStorage.getItem('resyncs') };
    }, last);
    const first = Number(got[0]);
    const expected = Array.from({ length: Number(last) - first + 1 }, (_, i) => String(first + i));
    expect(resyncs).toBeNull();
    expect(got.length).toBeGreaterThan(150); // about 2 s at 100 msg/s
    expect(got).toEqual(expected); // in order, nothing lost, nothing twice
  });

  it('navigating away and back restores the page from the back/forward cache, and the socket reconnects', async () => {
    const url = `ws://127.0.0.1:${lifeline.port}/ws`;
    const page = await newPage();
    await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals & { shows: boolean[]; opens: number };
      w.shows = [];
      w.opens = 0;
      addEventListener('pageshow', (event) => w.shows.push(event.persisted));
      await w.make(url, 'bfcache');
      w.socket.on('open', () => w.opens++);
      await w.until(() => w.socket.status === 'open');
    }, url);
    await page.goto(`${pages.origin}/other`);
    await page.goBack({ waitUntil: 'commit' });
    const result = await page.evaluate(async () => {
      const w = window as unknown as PageGlobals & { shows: boolean[]; opens: number };
      await w.until(() => w.shows.length > 0);
      await w.until(() => w.opens === 2 && w.socket.status === 'open');
      const navigation = performance.getEntriesByType(
        'navigation',
      )[0] as PerformanceNavigationTiming & {
        notRestoredReasons?: unknown;
      };
      return {
        shows: w.shows,
        status: w.socket.status,
        notRestored: navigation.notRestoredReasons ?? null,
      };
    });
    expect(result).toEqual({ shows: [true], status: 'open', notRestored: null });
  });
});
