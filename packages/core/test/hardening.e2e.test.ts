// Issue 12's core defects, each reproduced in real Chromium against a real `ws` server with
// the script-tag build: every test here failed on the first release.
import type * as Core from '@lifeline/core';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket as ServerSocket } from 'ws';
import { type IifePage, openIifePage } from '../../../test/support/iife-page';
import { startTestServer, type TestServer } from '../../../test/support/ws-server';

/** Globals the page gets: the bundle, and two helpers the scenarios share. */
interface PageGlobals {
  Lifeline: typeof Core;
  sockets: Core.Socket[];
  sleep(ms: number): Promise<void>;
  until(predicate: () => boolean, ms?: number): Promise<void>;
}

let opened: IifePage;
let page: Page;
let server: TestServer | undefined;

/** A server that records every frame (binary as byte arrays) and the close each client sent. */
async function recordingServer(reply?: (socket: ServerSocket, text: string) => void) {
  const frames: Array<string | number[]> = [];
  const closes: Array<[number, string]> = [];
  server = await startTestServer({
    onConnection: (socket) => {
      socket.on('message', (data, isBinary) => {
        const bytes = data as Buffer;
        frames.push(isBinary ? [...bytes] : bytes.toString());
        if (!isBinary) reply?.(socket, bytes.toString());
      });
      socket.on('close', (code, reason) => closes.push([code, reason.toString()]));
    },
  });
  return { url: server.url(), frames, closes };
}

beforeAll(async () => {
  opened = await openIifePage();
  page = opened.page;
  await page.evaluate(() => {
    const w = window as unknown as PageGlobals;
    w.sockets = [];
    w.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    w.until = async (predicate, ms = 4000) => {
      const end = performance.now() + ms;
      while (!predicate()) {
        if (performance.now() > end) throw new Error(`timed out: ${predicate}`);
        await w.sleep(10);
      }
    };
  });
});

afterEach(async () => {
  await page.evaluate(() => {
    for (const socket of (window as unknown as PageGlobals).sockets.splice(0)) socket.dispose();
  });
  await server?.close();
  server = undefined;
  expect(opened.pageErrors).toEqual([]);
});

afterAll(async () => {
  await opened?.close();
});

describe('lifecycle defects, in Chromium', () => {
  it('close() then connect() during the close handshake: the new connection stays open', async () => {
    const { url } = await recordingServer();
    const result = await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      const socket = new w.Lifeline.Socket(url, { connectTimeout: 300 });
      w.sockets.push(socket);
      const closes: unknown[] = [];
      socket.on('close', ({ code, willReconnect }) => closes.push([code, willReconnect]));
      await w.until(() => socket.status === 'open');
      socket.close(1000, 'bye');
      socket.connect();
      await w.until(() => socket.status === 'open');
      await w.sleep(800); // well past the old close timeout
      return { status: socket.status, closes };
    }, url);
    expect(result).toEqual({ status: 'open', closes: [[1000, false]] });
    expect(server!.clients.size).toBe(1);
  });

  it('close() from a drop listener during the flush keeps the rest queued, and nothing throws', async () => {
    const { url, frames } = await recordingServer();
    const result = await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      const socket = new w.Lifeline.Socket(url, { autoConnect: false, queue: { maxAge: 100 } });
      w.sockets.push(socket);
      socket.send('stale');
      await w.sleep(200);
      socket.send('a');
      socket.send('b');
      socket.once('drop', () => socket.close());
      socket.connect();
      await w.until(() => socket.status === 'closed');
      const queuedAfterClose = socket.queued;
      socket.connect();
      await w.until(() => socket.status === 'open' && socket.queued === 0);
      return { queuedAfterClose };
    }, url);
    expect(result).toEqual({ queuedAfterClose: 2 });
    await server!.waitFor(() => frames.length === 2, 3000, 'the rest of the queue');
    expect(frames).toEqual(['a', 'b']);
  });

  it('close() from a status listener: no event contradicts the status it follows', async () => {
    const { url } = await recordingServer();
    await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals & { seen: string[] };
      w.seen = [];
      const dropped = new w.Lifeline.Socket(url, { reconnect: { initialDelay: 50 } });
      w.sockets.push(dropped);
      dropped.on('close', (e) => w.seen.push(`close:${e.willReconnect}@${dropped.status}`));
      dropped.on('status', (status) => {
        if (status === 'reconnecting') dropped.close();
      });
      await w.until(() => dropped.status === 'open');
    }, url);
    server!.terminateAll();
    const seen = await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals & { seen: string[] };
      const dropped = w.sockets.at(-1)!;
      await w.until(() => dropped.status === 'closed');
      await w.sleep(200); // a stale retry would show up here
      const opening = new w.Lifeline.Socket(url);
      w.sockets.push(opening);
      opening.on('open', () => w.seen.push(`open@${opening.status}`));
      opening.on('status', (status) => {
        if (status === 'open') opening.close();
      });
      await w.until(() => opening.status === 'closed');
      return { seen: w.seen, dropped: dropped.status };
    }, url);
    expect(seen).toEqual({ seen: ['close:false@closed'], dropped: 'closed' });
  });

  it('a throwing URL provider is reported to listeners attached after new Socket()', async () => {
    const seen = await page.evaluate(async () => {
      const w = window as unknown as PageGlobals;
      const socket = new w.Lifeline.Socket(
        () => {
          throw new Error('no token yet');
        },
        // No jitter: a full-jitter delay can be under the 50 ms watched (1 run in 200).
        { reconnect: { initialDelay: 10_000, jitter: 'none' } },
      );
      w.sockets.push(socket);
      const events: string[] = [];
      socket.on('error', (error) => events.push(`error:${error.message}`));
      socket.on('close', (e) => events.push(`close:${e.code}`));
      socket.on('reconnecting', (e) => events.push(`reconnecting:${e.attempt}`));
      await w.sleep(50);
      return events;
    });
    expect(seen).toEqual(['error:no token yet', 'close:1006', 'reconnecting:1']);
  });
});

describe('timers, in Chromium', () => {
  it('a wall clock set back 60 s does not delay the heartbeat: a dead server is found', async () => {
    server = await startTestServer({ onConnection: () => {} }); // accepts, never answers
    const result = await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      const realNow = Date.now;
      const socket = new w.Lifeline.Socket(url, {
        heartbeat: { interval: 300, timeout: 300 },
        reconnect: false,
      });
      w.sockets.push(socket);
      const closes: unknown[] = [];
      socket.on('close', ({ code, reason }) => closes.push([code, reason]));
      await w.until(() => socket.status === 'open');
      Date.now = () => realNow.call(Date) - 60_000;
      try {
        await w.until(() => socket.status === 'closed', 3000);
      } finally {
        Date.now = realNow;
      }
      return closes;
    }, server.url());
    expect(result).toEqual([[4000, 'heartbeat timeout']]);
  });

  it('connectTimeout: Infinity opens, and a 30-day request timeout waits for its reply', async () => {
    const { url } = await recordingServer((socket, text) => {
      const { id, type } = JSON.parse(text);
      setTimeout(() => socket.send(JSON.stringify({ type, re: id, data: 'late' })), 300);
    });
    const result = await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      const socket = new w.Lifeline.Socket(url, { connectTimeout: Number.POSITIVE_INFINITY });
      w.sockets.push(socket);
      await w.until(() => socket.status === 'open');
      return socket.request('slow', {}, { timeout: 30 * 24 * 3600 * 1000 });
    }, url);
    expect(result).toBe('late');
  });
});

describe('queue and parity defects, in Chromium', () => {
  it('one oversize message is dropped alone; the 5 queued ones arrive', async () => {
    const { url, frames } = await recordingServer();
    const result = await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      const socket = new w.Lifeline.Socket(url, { autoConnect: false, queue: { maxBytes: 100 } });
      w.sockets.push(socket);
      const drops: string[] = [];
      socket.on('drop', ({ reason }) => drops.push(reason));
      for (const text of ['1', '2', '3', '4', '5']) socket.send(text);
      const big = socket.send('x'.repeat(200));
      socket.connect();
      await w.until(() => socket.status === 'open');
      return { big, drops };
    }, url);
    expect(result).toEqual({ big: 'dropped', drops: ['overflow'] });
    await server!.waitFor(() => frames.length === 5, 3000, 'five frames');
    expect(frames).toEqual(['1', '2', '3', '4', '5']);
  });

  it('binary data is copied at send time: mutation and transfer change nothing', async () => {
    const { url, frames } = await recordingServer();
    await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      const socket = new w.Lifeline.Socket(url, { autoConnect: false });
      w.sockets.push(socket);
      const view = new Uint8Array([1, 2, 3]);
      const buffer = new Uint8Array([4, 5, 6]).buffer;
      socket.send(view);
      socket.send(buffer);
      view.fill(0);
      structuredClone(buffer, { transfer: [buffer] });
      socket.connect();
      await w.until(() => socket.status === 'open');
    }, url);
    await server!.waitFor(() => frames.length === 2, 3000, 'two binary frames');
    expect(frames).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('addEventListener honours { signal } and a listener removed mid-dispatch does not run', async () => {
    const { url } = await recordingServer((socket, text) => socket.send(text));
    const calls = await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      const socket = new w.Lifeline.Socket(url);
      w.sockets.push(socket);
      const calls: string[] = [];
      const controller = new AbortController();
      const removed = () => calls.push('removed');
      socket.addEventListener('message', () => socket.removeEventListener('message', removed));
      socket.addEventListener('message', removed);
      socket.addEventListener('message', (e) => calls.push(`signal:${(e as MessageEvent).data}`), {
        signal: controller.signal,
      });
      socket.addEventListener('message', (e) =>
        calls.push(`target:${(e.target as unknown) === socket}`),
      );
      await w.until(() => socket.status === 'open');
      socket.send('one');
      await w.until(() => calls.length === 2);
      controller.abort();
      socket.send('two');
      await w.until(() => calls.length === 3);
      return calls;
    }, url);
    expect(calls).toEqual(['signal:one', 'target:true', 'target:true']);
  });

  it('close(1000, null), close(1000.4) and an invalid binaryType behave like the native socket', async () => {
    const { url, closes } = await recordingServer();
    const binaryType = await page.evaluate(async (url) => {
      const w = window as unknown as PageGlobals;
      const a = new w.Lifeline.Socket(url, { binaryType: 'arraybuffer' });
      const b = new w.Lifeline.Socket(url);
      w.sockets.push(a, b);
      a.binaryType = 'nonsense' as BinaryType;
      await w.until(() => a.status === 'open' && b.status === 'open');
      a.close(1000, null as never);
      b.close(1000.4);
      await w.until(() => a.status === 'closed' && b.status === 'closed');
      return a.binaryType;
    }, url);
    expect(binaryType).toBe('arraybuffer');
    await server!.waitFor(() => closes.length === 2, 3000, 'two closes');
    expect(closes.sort()).toEqual([
      [1000, ''],
      [1000, 'null'],
    ]);
  });

  it('request() rejects on data JSON cannot encode; a timed-out queued request leaves the queue', async () => {
    const result = await page.evaluate(async () => {
      const w = window as unknown as PageGlobals;
      const socket = new w.Lifeline.Socket('ws://127.0.0.1:9/', { autoConnect: false });
      w.sockets.push(socket);
      let threw = false;
      let rejected: unknown;
      try {
        await socket.request('sum', { big: 1n }).catch((e) => {
          rejected = (e as Core.LifelineError).code;
        });
      } catch {
        threw = true;
      }
      const timedOut = await socket
        .request('slow', {}, { timeout: 50 })
        .catch((e) => (e as Core.LifelineError).code);
      return { threw, rejected, timedOut, queued: socket.queued, buffered: socket.bufferedAmount };
    });
    expect(result).toEqual({
      threw: false,
      rejected: 'ERR_INVALID_MESSAGE',
      timedOut: 'ERR_TIMEOUT',
      queued: 0,
      buffered: 0,
    });
  });
});
