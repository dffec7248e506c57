// Socket against real `ws` servers in Node: restarts, unclean drops, close-code policy,
// connect and heartbeat timeouts, URL providers, Page Lifecycle `resume`, give-up, subprotocols
// and closing. Every server listens on 127.0.0.1 on a free port and is stopped after each test.
import {
  type AddressInfo,
  createServer as createTcpServer,
  type Socket as TcpSocket,
} from 'node:net';
import { Socket, type SocketOptions } from '@lifeline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket as ServerSocket, WebSocket as WS } from 'ws';
import {
  delay,
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from '../../../test/support/ws-server';

const WebSocket = WS as never;
const fast = { initialDelay: 20, maxDelay: 200 };
const cleanup: Array<() => unknown> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function server(options?: TestServerOptions): Promise<TestServer> {
  const started = await startTestServer(options);
  cleanup.push(() => started.close());
  return started;
}

/** A socket that is disposed after the test. */
function socket(url: ConstructorParameters<typeof Socket>[0], options: SocketOptions = {}): Socket {
  const made = new Socket(url, { WebSocket, reconnect: fast, ...options });
  cleanup.push(() => made.dispose());
  return made;
}

/** Polls `predicate` every 5 ms; fails after `timeoutMs`, with `detail()` in the message. */
async function until(
  predicate: () => boolean,
  what: string,
  timeoutMs = 5000,
  detail?: () => unknown,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}` +
          (detail ? `; saw ${JSON.stringify(detail())}` : ''),
      );
    await delay(5);
  }
}

type Entry = { name: string; payload: unknown; at: number };
const EVENTS = ['open', 'close', 'status', 'reconnecting', 'giveup', 'wake', 'error'] as const;

/** Records the socket's events, in order, with the payload (status: `[status, previous]`). */
function record(target: Socket): Entry[] {
  const log: Entry[] = [];
  for (const name of EVENTS)
    target.on(name, (first: unknown, second?: unknown) =>
      log.push({ name, payload: name === 'status' ? [first, second] : first, at: Date.now() }),
    );
  return log;
}

const named = (log: Entry[], name: string) => log.filter((entry) => entry.name === name);
/** Close events with only the fields of the contract (no `type`/`target`). */
const closes = (log: Entry[]) =>
  named(log, 'close').map(({ payload }) => {
    const { code, reason, wasClean, willReconnect } = payload as Record<string, unknown>;
    return { code, reason, wasClean, willReconnect };
  });
const opens = (log: Entry[]) =>
  named(log, 'open').map(({ payload }) => {
    const { attempt, reconnected } = payload as Record<string, unknown>;
    return { attempt, reconnected };
  });

/** A TCP server that accepts connections and reads the upgrade request but never answers it. */
async function hangingServer(): Promise<{ url: string; connections: TcpSocket[] }> {
  const connections: TcpSocket[] = [];
  const tcp = createTcpServer((connection) => {
    connection.on('error', () => {});
    connections.push(connection);
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        for (const connection of connections) connection.destroy();
        tcp.close(() => resolve());
      }),
  );
  return { url: `ws://127.0.0.1:${(tcp.address() as AddressInfo).port}/`, connections };
}

/** Collects what reaches `process` as uncaught while a test runs (a Node app would crash). */
function uncaught(): unknown[] {
  const errors: unknown[] = [];
  const listener = (error: unknown) => errors.push(error);
  process.on('uncaughtException', listener);
  cleanup.push(() => process.off('uncaughtException', listener));
  return errors;
}

/** Echoes frames; `close:<code>` makes the server close the connection with that code. */
const closer: TestServerOptions['onConnection'] = (ws) => {
  ws.on('message', (data) => {
    const match = /^close:(\d+)$/.exec(String(data));
    if (match) ws.close(Number(match[1]), 'bye');
    else ws.send(String(data));
  });
};

describe('Socket against a real server: restarts and drops', () => {
  it('delivers messages sent while the server restarts exactly once, in order', async () => {
    const srv = await server();
    const s = socket(srv.url());
    await until(() => s.status === 'open', 'open');
    expect(s.send('before')).toBe('sent');
    await srv.waitFor(() => srv.received.length === 1, 2000, 'first frame');

    const restarted = srv.restart(300);
    await until(() => s.status === 'reconnecting', 'reconnecting');
    const results = Array.from({ length: 20 }, (_, i) => s.send(`m${i}`));
    expect(results).toEqual(Array(20).fill('queued'));
    expect(s.queued).toBe(20);
    expect(s.readyState).toBe(0);
    await delay(100); // well inside the down time: attempts are failing now
    expect(s.send('late')).toBe('queued');

    await restarted;
    await until(() => s.status === 'open', 'reopen');
    expect(s.queued).toBe(0);
    expect(s.send('after')).toBe('sent');
    await srv.waitFor(() => srv.received.length === 23, 2000, 'all frames');
    await delay(100); // nothing else may trickle in (no duplicates)
    expect(srv.received).toEqual([
      'before',
      ...Array.from({ length: 20 }, (_, i) => `m${i}`),
      'late',
      'after',
    ]);
    expect(srv.upgrades.length).toBeGreaterThanOrEqual(2);
  });

  it('reports an unclean drop as 1006, then reconnecting, then a reconnected open', async () => {
    const srv = await server();
    const s = socket(srv.url());
    await until(() => s.status === 'open', 'open');
    const log = record(s);
    const stateAtClose: number[] = [];
    s.on('close', () => stateAtClose.push(s.readyState));

    srv.terminateAll();
    await until(() => named(log, 'open').length === 1, 'reopen');

    expect(log.map((entry) => entry.name)).toEqual([
      'status',
      'close',
      'reconnecting',
      'status',
      'open',
    ]);
    expect(named(log, 'status').map((entry) => entry.payload)).toEqual([
      ['reconnecting', 'open'],
      ['open', 'reconnecting'],
    ]);
    expect(closes(log)).toEqual([{ code: 1006, reason: '', wasClean: false, willReconnect: true }]);
    expect(stateAtClose).toEqual([0]);
    const retry = named(log, 'reconnecting')[0]!.payload as { attempt: number; delay: number };
    expect(retry.attempt).toBe(1);
    expect(retry.delay).toBeGreaterThanOrEqual(0);
    expect(retry.delay).toBeLessThanOrEqual(20); // full jitter, cap = initialDelay
    expect(opens(log)).toEqual([{ attempt: 1, reconnected: true }]);
    expect(s.status).toBe('open');
    expect(s.readyState).toBe(1);
    expect(srv.upgrades).toHaveLength(2);
  });
});

describe('Socket against a real server: close codes', () => {
  it('does not reconnect after a server close with 1000', async () => {
    const srv = await server({ onConnection: closer });
    const s = socket(srv.url());
    const log = record(s);
    await until(() => s.status === 'open', 'open');
    s.send('close:1000');
    await until(() => s.status === 'closed', 'closed');
    await delay(300);
    expect(closes(log)).toEqual([
      { code: 1000, reason: 'bye', wasClean: true, willReconnect: false },
    ]);
    expect(named(log, 'reconnecting')).toHaveLength(0);
    expect(s.readyState).toBe(3);
    expect(srv.upgrades).toHaveLength(1);
  });

  it.each([1001, 1011, 1012, 1013])('reconnects after a server close with %i', async (code) => {
    const srv = await server({ onConnection: closer });
    const s = socket(srv.url());
    const log = record(s);
    await until(() => s.status === 'open', 'open');
    s.send(`close:${code}`);
    await until(() => named(log, 'open').length === 2, 'reopen');
    expect(closes(log)).toEqual([{ code, reason: 'bye', wasClean: true, willReconnect: true }]);
    expect(named(log, 'reconnecting')).toHaveLength(1);
    expect(opens(log)).toEqual([
      { attempt: 0, reconnected: false },
      { attempt: 1, reconnected: true },
    ]);
    expect(srv.upgrades).toHaveLength(2);
  });

  it.each([1008, 4001])(
    'closes for good after a server close with %i: no attempt follows',
    async (code) => {
      const srv = await server({ onConnection: closer });
      const s = socket(srv.url());
      const log = record(s);
      await until(() => s.status === 'open', 'open');
      s.send(`close:${code}`);
      await until(() => s.status === 'closed', 'closed');
      await delay(400); // several backoff periods: an attempt would have shown up
      expect(closes(log)).toEqual([{ code, reason: 'bye', wasClean: true, willReconnect: false }]);
      expect(named(log, 'reconnecting')).toHaveLength(0);
      expect(srv.upgrades).toHaveLength(1);
    },
  );

  it('lets shouldReconnect retry an application code and refuse a restart code', async () => {
    const srv = await server({ onConnection: closer });
    const seen: unknown[] = [];
    const s = socket(srv.url(), {
      reconnect: {
        ...fast,
        shouldReconnect: (close) => {
          seen.push(close);
          return close.code === 4001;
        },
      },
    });
    const log = record(s);
    await until(() => s.status === 'open', 'open');
    s.send('close:4001');
    await until(() => named(log, 'open').length === 2, 'reopen after 4001');
    s.send('close:1012');
    await until(() => s.status === 'closed', 'closed after 1012');
    await delay(300);
    expect(seen).toEqual([
      { code: 4001, reason: 'bye', wasClean: true },
      { code: 1012, reason: 'bye', wasClean: true },
    ]);
    expect(closes(log)).toEqual([
      { code: 4001, reason: 'bye', wasClean: true, willReconnect: true },
      { code: 1012, reason: 'bye', wasClean: true, willReconnect: false },
    ]);
    expect(srv.upgrades).toHaveLength(2);
  });
});

describe('Socket against a real server: dead connections', () => {
  it('fails an attempt whose upgrade never completes after connectTimeout, and retries', async () => {
    uncaught(); // asserted by the next test; kept out of this one
    const { url, connections } = await hangingServer();
    const started = Date.now();
    const s = socket(url, { connectTimeout: 300 });
    const log = record(s);

    await until(() => connections.length >= 3, 'three connection attempts', 4000);
    s.close();
    expect(s.status).toBe('closing'); // the close event follows, never inside close()
    await until(() => s.status === 'closed', 'closed');
    const first = named(log, 'close')[0]!;
    expect(first.at - started).toBeGreaterThanOrEqual(280);
    expect(first.at - started).toBeLessThan(1000);
    expect(closes(log).slice(0, 2)).toEqual([
      { code: 1006, reason: 'connect timeout', wasClean: false, willReconnect: true },
      { code: 1006, reason: 'connect timeout', wasClean: false, willReconnect: true },
    ]);
    expect(named(log, 'open')).toHaveLength(0);
    expect(
      named(log, 'reconnecting').map((entry) => (entry.payload as { attempt: number }).attempt),
    ).toEqual(Array.from({ length: named(log, 'reconnecting').length }, (_, i) => i + 1));
    expect(s.status).toBe('closed');
  });

  it('abandons a still-connecting `ws` attempt without an uncaught error (timeout and close())', async () => {
    const errors = uncaught();
    const { url, connections } = await hangingServer();
    const s = socket(url, { connectTimeout: 100 });
    await until(() => connections.length >= 2, 'a timed-out attempt and its retry', 3000);
    s.close(); // the retry is still connecting
    await delay(50); // `ws` reports the abort on the next tick
    expect(s.status).toBe('closed');
    expect(errors.map((error) => String(error))).toEqual([]);
  });

  it('closes a silent connection with 4000 "heartbeat timeout" and reconnects', async () => {
    const srv = await server({ onConnection: () => {} }); // never answers anything
    const s = socket(srv.url(), { heartbeat: { interval: 200, timeout: 200 } });
    const log = record(s);
    await until(() => s.status === 'open', 'open');
    const openedAt = Date.now();

    await until(() => named(log, 'close').length === 1, 'heartbeat close', 3000);
    const closedAfter = named(log, 'close')[0]!.at - openedAt;
    expect(closedAfter).toBeGreaterThanOrEqual(350);
    expect(closedAfter).toBeLessThan(1000);
    expect(closes(log)).toEqual([
      { code: 4000, reason: 'heartbeat timeout', wasClean: false, willReconnect: true },
    ]);
    expect(srv.received).toEqual(['{"type":"ping"}']);
    await srv.waitFor(() => srv.upgrades.length === 2, 2000, 'second connection');
    await until(() => named(log, 'open').length === 2, 'reopen');
  });

  it('sets latency from pong replies and keeps a live connection open', async () => {
    const srv = await server({
      onConnection: (ws) =>
        ws.on('message', (data) => {
          if (String(data) === '{"type":"ping"}') ws.send('{"type":"pong"}');
        }),
    });
    const s = socket(srv.url(), { heartbeat: { interval: 100, timeout: 150 } });
    const log = record(s);
    expect(s.latency).toBeUndefined();
    await until(() => s.status === 'open', 'open');
    await delay(650);
    expect(srv.received.length).toBeGreaterThanOrEqual(3);
    expect(new Set(srv.received)).toEqual(new Set(['{"type":"ping"}']));
    expect(typeof s.latency).toBe('number');
    expect(s.latency!).toBeGreaterThanOrEqual(0);
    expect(s.latency!).toBeLessThan(150);
    expect(named(log, 'close')).toHaveLength(0);
    expect(s.status).toBe('open');
    expect(srv.upgrades).toHaveLength(1);
  });

  it('probes at once on a Page Lifecycle resume and replaces a silently dead connection', async () => {
    const previous = Object.getOwnPropertyDescriptor(globalThis, 'document');
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    Object.defineProperty(globalThis, 'document', {
      value: doc,
      configurable: true,
      writable: true,
    });
    cleanup.push(() => {
      if (previous) Object.defineProperty(globalThis, 'document', previous);
      else delete (globalThis as { document?: unknown }).document;
    });
    const silenced = new Set<ServerSocket>();
    const srv = await server({
      onConnection: (ws) =>
        ws.on('message', (data) => {
          if (!silenced.has(ws)) ws.send(String(data));
        }),
    });
    const s = socket(srv.url(), { heartbeat: { interval: 60_000, timeout: 300 } });
    const log = record(s);
    await until(() => s.status === 'open', 'open');
    s.send('hello');
    await srv.waitFor(() => srv.received.length === 1, 2000, 'hello');
    for (const client of srv.clients) silenced.add(client); // dead, but the TCP link stays up

    const resumedAt = Date.now();
    doc.dispatchEvent(new Event('resume'));
    expect(named(log, 'wake')).toHaveLength(1);
    expect((named(log, 'wake')[0]!.payload as { sleptMs: number }).sleptMs).toBeGreaterThanOrEqual(
      0,
    );
    await srv.waitFor(() => srv.received.length === 2, 1000, 'probe ping');
    expect(srv.received[1]).toBe('{"type":"ping"}');

    // The next heartbeat ping is 60 s away: only the resume probe can explain a reconnect now.
    await until(
      () => named(log, 'open').length === 2,
      'reconnect after resume',
      3000,
      () =>
        log.map(({ name, payload, at }) => [
          name,
          at - resumedAt,
          name === 'close' ? (payload as { code: number }).code : '',
        ]),
    );
    const closedAfter = named(log, 'close')[0]!.at - resumedAt;
    expect(closedAfter).toBeGreaterThanOrEqual(250);
    expect(closedAfter).toBeLessThan(1500);
    expect(named(log, 'open')[1]!.at - resumedAt).toBeLessThan(2500);
    expect(closes(log)).toEqual([
      { code: 4000, reason: 'heartbeat timeout', wasClean: false, willReconnect: true },
    ]);
    expect(log.map((entry) => entry.name).filter((name) => name !== 'status')).toEqual([
      'open',
      'wake',
      'close',
      'reconnecting',
      'open',
    ]);
    expect(srv.upgrades).toHaveLength(2);
  });

  it('gives up after maxAttempts against a stopped server', async () => {
    const srv = await server();
    await srv.stop();
    const s = socket(srv.url(), { reconnect: { initialDelay: 20, maxDelay: 50, maxAttempts: 3 } });
    const log = record(s);
    await until(() => s.status === 'closed', 'closed');
    await delay(200);
    expect(named(log, 'giveup').map((entry) => entry.payload)).toEqual([
      { attempts: 3, lastClose: { code: 1006, reason: '', wasClean: false } },
    ]);
    expect(
      named(log, 'reconnecting').map((entry) => (entry.payload as { attempt: number }).attempt),
    ).toEqual([1, 2, 3]);
    expect(closes(log).map((close) => close.willReconnect)).toEqual([true, true, true, false]);
    expect(log.at(-1)!.name).toBe('giveup');
    expect(s.readyState).toBe(3);
    expect(srv.upgrades).toHaveLength(0);
  });
});

describe('Socket against a real server: URLs and subprotocols', () => {
  it.each([
    ['sync', (url: string) => url],
    ['async', (url: string) => delay(5).then(() => new URL(url))],
  ] as const)(
    'calls a %s URL provider before every attempt (fresh token each time)',
    async (_, wrap) => {
      const srv = await server();
      let calls = 0;
      const s = socket(() => wrap(srv.url(`/ws?token=t${++calls}`)));
      await until(() => s.status === 'open', 'open');
      for (const n of [2, 3]) {
        srv.terminateAll();
        await until(() => s.status === 'open' && srv.upgrades.length === n, `connection ${n}`);
      }
      expect(srv.upgrades.map((request) => request.url)).toEqual([
        '/ws?token=t1',
        '/ws?token=t2',
        '/ws?token=t3',
      ]);
      expect(calls).toBe(3);
      expect(s.url).toBe(srv.url('/ws?token=t3'));
    },
  );

  it('gives a hung URL provider connectTimeout, then calls it again for the next attempt', async () => {
    const srv = await server();
    let calls = 0;
    const s = socket(
      () => (++calls === 1 ? new Promise<string>(() => {}) : srv.url(`/?token=t${calls}`)),
      { connectTimeout: 200 },
    );
    const log = record(s);
    await until(() => s.status === 'open', 'open');
    expect(calls).toBe(2);
    expect(closes(log)).toEqual([
      { code: 1006, reason: 'connect timeout', wasClean: false, willReconnect: true },
    ]);
    expect(srv.upgrades.map((request) => request.url)).toEqual(['/?token=t2']);
  });

  it('emits ERR_INVALID_URL for a bad URL from a provider and retries with the next one', async () => {
    const srv = await server();
    let calls = 0;
    const s = socket(() => (++calls === 1 ? 'ftp://127.0.0.1/' : srv.url('/ok')), {
      autoConnect: false,
    });
    const errors: unknown[] = [];
    s.on('error', (error) => errors.push(error));
    s.connect();
    await until(() => s.status === 'open', 'open');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ name: 'LifelineError', code: 'ERR_INVALID_URL' });
    expect(calls).toBe(2);
    expect(srv.upgrades.map((request) => request.url)).toEqual(['/ok']);
  });

  it('offers string, array and per-attempt protocols, and reads the negotiated one', async () => {
    const srv = await server({
      handleProtocols: (offered) => ['v2', 'v1'].find((p) => offered.has(p)) ?? [...offered][0]!,
    });
    const offered = () =>
      srv.upgrades.map((request) => request.headers['sec-websocket-protocol']?.split(/,\s*/));

    const single = socket(srv.url(), { protocols: 'v1' });
    await until(() => single.status === 'open', 'open (string)');
    expect(single.protocol).toBe('v1');
    single.close();

    const list = socket(srv.url(), { protocols: ['v3', 'v2'] });
    await until(() => list.status === 'open', 'open (array)');
    expect(list.protocol).toBe('v2');
    list.close();

    let calls = 0;
    const rotating = socket(srv.url(), { protocols: () => (++calls === 1 ? 'v1' : ['v2', 'v1']) });
    await until(() => rotating.status === 'open', 'open (function)');
    expect(rotating.protocol).toBe('v1');
    srv.terminateAll();
    await until(() => rotating.status === 'open' && srv.upgrades.length === 4, 'reopen (function)');
    expect(rotating.protocol).toBe('v2');
    expect(calls).toBe(2);
    expect(offered()).toEqual([['v1'], ['v3', 'v2'], ['v1'], ['v2', 'v1']]);
  });
});

describe('Socket against a real server: closing', () => {
  it('sends the close code and reason to the server and never reconnects', async () => {
    const serverSaw: Array<[number, string]> = [];
    const srv = await server({
      onConnection: (ws) =>
        ws.on('close', (code, reason) => serverSaw.push([code, String(reason)])),
    });
    const s = socket(srv.url());
    const log = record(s);
    await until(() => s.status === 'open', 'open');
    s.close(4321, 'done here');
    expect(s.status).toBe('closing');
    expect(s.readyState).toBe(2);
    await until(() => s.status === 'closed', 'closed');
    await srv.waitFor(() => serverSaw.length === 1, 2000, 'server close');
    await delay(300);
    expect(serverSaw).toEqual([[4321, 'done here']]);
    expect(closes(log)).toEqual([
      { code: 4321, reason: 'done here', wasClean: true, willReconnect: false },
    ]);
    expect(named(log, 'reconnecting')).toHaveLength(0);
    expect(s.readyState).toBe(3);
    expect(srv.upgrades).toHaveLength(1);
  });

  it('reconnect() drops the connection with 1000 "reconnect" and opens a new one at once', async () => {
    const serverSaw: Array<[number, string]> = [];
    const srv = await server({
      onConnection: (ws) =>
        ws.on('close', (code, reason) => serverSaw.push([code, String(reason)])),
    });
    const s = socket(srv.url(), { reconnect: { initialDelay: 5000, maxDelay: 5000 } });
    const log = record(s);
    await until(() => s.status === 'open', 'open');
    const started = Date.now();
    s.reconnect();
    await until(() => named(log, 'open').length === 2, 'reopen', 2000);
    expect(Date.now() - started).toBeLessThan(1000); // no 5 s backoff wait
    await srv.waitFor(() => serverSaw.length === 1, 2000, 'server close');
    expect(serverSaw).toEqual([[1000, 'reconnect']]);
    expect(closes(log)).toEqual([
      { code: 1000, reason: 'reconnect', wasClean: true, willReconnect: true },
    ]);
    expect(opens(log)).toEqual([
      { attempt: 0, reconnected: false },
      { attempt: 0, reconnected: true },
    ]);
    expect(srv.upgrades).toHaveLength(2);
  });

  it('close() with no arguments sends 1000 and stops a pending retry', async () => {
    const serverSaw: number[] = [];
    const srv = await server({
      onConnection: (ws) => ws.on('close', (code) => serverSaw.push(code)),
    });
    const s = socket(srv.url(), {
      reconnect: { initialDelay: 300, maxDelay: 300, jitter: 'none' },
    });
    const log = record(s);
    await until(() => s.status === 'open', 'open');
    s.close();
    await until(() => s.status === 'closed', 'closed');
    await srv.waitFor(() => serverSaw.length === 1, 2000, 'server close');
    expect(serverSaw).toEqual([1000]);

    // Closing during a backoff wait cancels the retry.
    s.connect();
    await until(() => s.status === 'open', 'open again');
    srv.terminateAll();
    await until(() => s.status === 'reconnecting', 'reconnecting');
    s.close();
    expect(s.status).toBe('closing');
    await until(() => s.status === 'closed', 'closed');
    await delay(500);
    expect(srv.upgrades).toHaveLength(2);
    expect(closes(log).map((close) => close.willReconnect)).toEqual([false, true, false]);
  });
});
