// The script-tag build (`dist/lifeline.iife.min.js`, global `Lifeline`) in real Chromium against a
// local `ws` server: connect, a server restart with messages queued while down, a Page Lifecycle
// `resume` probe, close, and the errors thrown for a bad URL or bad options.
import type * as Core from '@lifeline/core';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type IifePage, openIifePage } from '../../../test/support/iife-page';
import { startTestServer, type TestServer } from '../../../test/support/ws-server';

/** What the page holds: the global and the sockets/recordings the tests create. */
interface PageGlobals {
  Lifeline: typeof Core;
  sockets: Core.Socket[];
  seen: Record<string, unknown[]>;
}

let opened: IifePage;
let origin: string;
let page: Page;
let ws: TestServer | undefined;
let consoleErrors: string[] = [];
let pageErrors: string[] = [];

/** Makes `new Lifeline.Socket(url, options)` in the page, recording its events under `seen`. */
async function makeSocket(url: string, options: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    ([url, options]) => {
      const w = window as unknown as PageGlobals;
      // Connect only once subscribed, so the first `status` (connecting) is recorded too.
      const socket = new w.Lifeline.Socket(url, { ...options, autoConnect: false });
      w.sockets.push(socket);
      w.seen = { status: [], message: [], close: [], wake: [], open: [] };
      socket.on('status', (status) => w.seen.status!.push(status));
      socket.on('message', (event) => w.seen.message!.push(event.data));
      socket.on('close', ({ code, reason, wasClean, willReconnect }) =>
        w.seen.close!.push({ code, reason, wasClean, willReconnect }),
      );
      socket.on('wake', (event) => w.seen.wake!.push(event));
      socket.on('open', ({ attempt, reconnected }) => w.seen.open!.push({ attempt, reconnected }));
      socket.connect();
    },
    [url, options] as const,
  );
}

/** Reads `fn(socket, seen)` in the page for the last socket made. */
const read = <T>(fn: (socket: Core.Socket, seen: Record<string, unknown[]>) => T): Promise<T> =>
  page.evaluate(
    `(${fn.toString()})(window.sockets[window.sockets.length - 1], window.seen)`,
  ) as Promise<T>;

const waitForStatus = (status: string, timeout = 5000) =>
  page.waitForFunction(
    (expected) => (window as unknown as PageGlobals).sockets.at(-1)?.status === expected,
    status,
    { timeout, polling: 10 },
  );

beforeAll(async () => {
  opened = await openIifePage();
  ({ page, origin, pageErrors, consoleErrors } = opened);
  await page.evaluate(() => {
    const w = window as unknown as PageGlobals;
    w.sockets = [];
    w.seen = {};
  });
});

afterEach(async () => {
  await page?.evaluate(() => {
    for (const socket of (window as unknown as PageGlobals).sockets.splice(0)) socket.dispose();
  });
  await ws?.close();
  ws = undefined;
  // A listener or internal error in the bundle surfaces here.
  expect(pageErrors).toEqual([]);
});

afterAll(async () => {
  await opened?.close();
});

describe('script-tag build in Chromium', () => {
  it('loads without console errors and exposes the global Lifeline', async () => {
    expect(consoleErrors).toEqual([]);
    expect(
      await page.evaluate(() => {
        const { Lifeline } = window as unknown as PageGlobals;
        return [
          typeof Lifeline.Socket,
          typeof Lifeline.createSocket,
          typeof Lifeline.LifelineError,
        ];
      }),
    ).toEqual(['function', 'function', 'function']);
  });

  it('connects, survives a server restart and flushes what was sent while down, in order', async () => {
    ws = await startTestServer();
    await makeSocket(ws.url(), { reconnect: { initialDelay: 50, maxDelay: 200 } });
    await waitForStatus('open');
    expect(await read((s) => [s.readyState, s.status, s.url])).toEqual([1, 'open', ws.url()]);

    const restarted = ws.restart(600);
    await waitForStatus('reconnecting');
    const whileDown = await read((s) => {
      const results = ['q1', 'q2', 'q3', 'q4', 'q5'].map((text) => s.send(text));
      return { readyState: s.readyState, status: s.status, results, queued: s.queued };
    });
    expect(whileDown).toEqual({
      readyState: 0,
      status: 'reconnecting',
      results: ['queued', 'queued', 'queued', 'queued', 'queued'],
      queued: 5,
    });
    await restarted;
    await waitForStatus('open');
    expect(await read((s) => [s.readyState, s.send('after'), s.queued])).toEqual([1, 'sent', 0]);

    const expected = ['q1', 'q2', 'q3', 'q4', 'q5', 'after'];
    await ws.waitFor(() => ws!.received.length === expected.length, 5000, 'flushed frames');
    await page.waitForFunction(
      (n) => (window as unknown as PageGlobals).seen.message!.length === n,
      expected.length,
      { timeout: 5000 },
    );
    expect(ws.received).toEqual(expected);
    const seen = await read((_, recorded) => recorded);
    expect(seen.message).toEqual(expected); // the echoes, in order
    expect(seen.status).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    // The server's going-away close, then one unclean close per attempt refused while down.
    expect(seen.close![0]).toEqual({
      code: 1001,
      reason: 'server stopping',
      wasClean: true,
      willReconnect: true,
    });
    expect(seen.close!.length).toBeGreaterThanOrEqual(2);
    for (const close of seen.close!.slice(1))
      expect(close).toEqual({ code: 1006, reason: '', wasClean: false, willReconnect: true });
    expect((seen.open as Array<{ reconnected: boolean }>).map((open) => open.reconnected)).toEqual([
      false,
      true,
    ]);
    expect(ws.upgrades.length).toBeGreaterThanOrEqual(2);
  });

  it('probes with a heartbeat ping at once on a Page Lifecycle resume', async () => {
    ws = await startTestServer(); // echoes the ping: the probe finds the connection alive
    await makeSocket(ws.url(), { heartbeat: { interval: 60_000, timeout: 400 } });
    await waitForStatus('open');
    expect(ws.received).toEqual([]);

    await page.evaluate(() => document.dispatchEvent(new Event('resume')));
    await ws.waitFor(() => ws!.received.length === 1, 2000, 'probe ping');
    expect(ws.received).toEqual(['{"type":"ping"}']);
    await page.waitForTimeout(600); // longer than heartbeat.timeout
    const { now, seen } = await read((s, recorded) => ({ now: s.status, seen: recorded }));
    expect(now).toBe('open');
    expect(seen.wake).toHaveLength(1);
    expect(seen.close).toEqual([]);
    expect(seen.status).toEqual(['connecting', 'open']);
    expect(ws.upgrades).toHaveLength(1);
  });

  it('close() ends at readyState 3 / closed and reaches the server', async () => {
    const serverSaw: Array<[number, string]> = [];
    ws = await startTestServer({
      onConnection: (client) =>
        client.on('close', (code, reason) => serverSaw.push([code, String(reason)])),
    });
    await makeSocket(ws.url(), { reconnect: { initialDelay: 50, maxDelay: 200 } });
    await waitForStatus('open');
    const closing = await read((s) => {
      s.close(4100, 'bye');
      return [s.readyState, s.status];
    });
    expect(closing).toEqual([2, 'closing']);
    await waitForStatus('closed');
    await ws.waitFor(() => serverSaw.length === 1, 2000, 'server close');
    await page.waitForTimeout(300); // no reconnect may follow
    const seen = await read((s, recorded) => ({ readyState: s.readyState, close: recorded.close }));
    expect(seen).toEqual({
      readyState: 3,
      close: [{ code: 4100, reason: 'bye', wasClean: true, willReconnect: false }],
    });
    expect(serverSaw).toEqual([[4100, 'bye']]);
    expect(ws.upgrades).toHaveLength(1);
  });

  it('throws LifelineError with stable codes for a bad URL and bad options', async () => {
    const results = await page.evaluate(() => {
      const { Lifeline } = window as unknown as PageGlobals;
      const attempt = (url: string, options?: Record<string, unknown>) => {
        try {
          const socket = new Lifeline.Socket(url, { autoConnect: false, ...options });
          return { url: socket.url };
        } catch (error) {
          const e = error as Core.LifelineError;
          return {
            name: e.name,
            code: e.code,
            lifeline: e instanceof Lifeline.LifelineError,
            message: e.message,
          };
        }
      };
      return {
        ftp: attempt('ftp://example.com/'),
        garbage: attempt('http://[oops'),
        relative: attempt('/ws?x=1#frag'),
        factor: attempt('ws://127.0.0.1:1/', { reconnect: { factor: 0.5 } }),
        jitter: attempt('ws://127.0.0.1:1/', { reconnect: { jitter: 'wild' } }),
        interval: attempt('ws://127.0.0.1:1/', { heartbeat: { interval: -1 } }),
      };
    });
    const invalidUrl = { name: 'LifelineError', code: 'ERR_INVALID_URL', lifeline: true };
    const invalidOption = { name: 'LifelineError', code: 'ERR_INVALID_OPTION', lifeline: true };
    expect(results.ftp).toMatchObject(invalidUrl);
    expect(results.garbage).toMatchObject(invalidUrl);
    expect(results.relative).toEqual({ url: `${origin.replace('http:', 'ws:')}/ws?x=1` });
    // The production build's messages are the code and a link to its section of the errors
    // reference (builds.int.test.ts checks the development build's full text).
    const docs = 'https://github.com/lifeline-ws/lifeline/blob/main/docs/reference/errors.md#';
    expect(results.ftp.message).toBe(`ERR_INVALID_URL: ${docs}err-invalid-url`);
    for (const result of [results.factor, results.jitter, results.interval]) {
      expect(result).toMatchObject(invalidOption);
      expect(result.message).toBe(`ERR_INVALID_OPTION: ${docs}err-invalid-option`);
    }
  });
});
