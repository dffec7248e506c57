// Handshakes that go wrong (never answered, HTTP 500/404) and servers closing with policy
// codes (1012, 1013, 4001): the connect timeout fires, backoff bounds the attempts, and the
// close-code policy decides between reconnecting and staying closed.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket as TcpSocket } from 'node:net';
import { type CloseEvent, type LifelineError, Socket } from '@lifeline/core';
import { describe, expect, it } from 'vitest';
import { chaosSuite } from '../support/chaos-suite';
import { GuardedWebSocket } from '../support/guarded-ws';
import { sleep, waitUntil } from '../support/wait';
import { startTestServer } from '../support/ws-server';

const WebSocket = GuardedWebSocket as never;
const { report, cleanup } = chaosSuite(import.meta.url, { checkUnhandled: true });

async function listen<T extends Server | ReturnType<typeof createTcpServer>>(
  server: T,
): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

/** An HTTP server answering every upgrade with `status`; records when each attempt came. */
async function refusingServer(status: number) {
  const attempts: number[] = [];
  const http = createHttpServer();
  http.on('upgrade', (_req, socket) => {
    attempts.push(Date.now());
    socket.end(`HTTP/1.1 ${status} Nope\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  });
  const port = await listen(http);
  cleanup.push(() => http.closeAllConnections());
  return { url: `ws://127.0.0.1:${port}/`, attempts };
}

function watch(socket: Socket) {
  const seen = { closes: [] as CloseEvent[], delays: [] as number[], opens: 0 };
  socket.on('close', (event) => seen.closes.push(event));
  socket.on('reconnecting', (event) => seen.delays.push(event.delay));
  socket.on('open', () => seen.opens++);
  return seen;
}

describe('handshakes that fail', () => {
  it('closes an attempt whose handshake never completes after connectTimeout, and retries', async () => {
    const accepted: Array<{ at: number; socket: TcpSocket; closed: boolean }> = [];
    const tcp = createTcpServer((socket) => {
      const entry = { at: Date.now(), socket, closed: false };
      accepted.push(entry);
      socket.on('error', () => {});
      socket.on('close', () => {
        entry.closed = true;
      });
      socket.resume(); // read (and ignore) the upgrade request, so the peer's FIN is seen
    });
    const port = await listen(tcp);
    cleanup.push(() => {
      for (const { socket } of accepted) socket.destroy();
    });
    // When each attempt started, from the debug log: the connect timeout counts from there
    // (the server may accept the TCP connection a little later on a busy machine).
    const startedAt: number[] = [];
    const socket = new Socket(`ws://127.0.0.1:${port}/`, {
      WebSocket,
      connectTimeout: 300,
      reconnect: { initialDelay: 20, maxDelay: 300 },
      debug: (record) => {
        if (record.event === 'connecting') startedAt.push(Date.now());
      },
    });
    cleanup.push(() => socket.dispose());
    const closedAt: number[] = [];
    const seen = watch(socket);
    socket.on('close', () => closedAt.push(Date.now()));
    await waitUntil(() => seen.closes.length >= 3, 10_000, '3 connect timeouts');
    socket.close();
    await sleep(100);

    report.add({
      scenario: 'handshake never completes',
      faults: '3 hung handshakes',
      sent: 0,
      received: 0,
      lost: 0,
      duplicated: 0,
      notes: `timed out after ${closedAt
        .slice(0, 3)
        .map((at, i) => at - startedAt[i]!)
        .join(', ')} ms (connectTimeout 300)`,
    });
    for (const close of seen.closes.slice(0, 3))
      expect(close).toMatchObject({
        code: 1006,
        reason: 'connect timeout',
        wasClean: false,
        willReconnect: true,
      });
    for (let i = 0; i < 3; i++) {
      // Date.now() may read a millisecond short of the timer's own clock.
      expect(closedAt[i]! - startedAt[i]!).toBeGreaterThanOrEqual(299);
      expect(closedAt[i]! - startedAt[i]!).toBeLessThan(300 + 400);
      expect(accepted[i]!.at).toBeLessThan(closedAt[i]!); // the handshake was under way
    }
    // Each abandoned attempt's TCP connection is torn down, not left open.
    expect(accepted.filter((entry) => !entry.closed).map((entry) => entry.at)).toEqual([]);
  });

  it('backs off on HTTP 500 and 404 upgrade answers exactly as the formula says (no tight loop)', async () => {
    const window = 4000;
    const run = async (status: number, jitter: 'none' | 'equal') => {
      const server = await refusingServer(status);
      const socket = new Socket(server.url, {
        WebSocket,
        reconnect: { initialDelay: 100, maxDelay: 30_000, factor: 2, jitter },
      });
      cleanup.push(() => socket.dispose());
      const seen = watch(socket);
      await sleep(window);
      const closes = [...seen.closes];
      socket.dispose();
      return { attempts: server.attempts.length, seen: { ...seen, closes } };
    };
    const [e500, e404] = await Promise.all([run(500, 'none'), run(404, 'equal')]);
    // Delay caps of attempts 1–7: a 7th refused attempt inside the window schedules a 7th delay.
    const caps = [100, 200, 400, 800, 1600, 3200, 6400];
    report.add({
      scenario: 'upgrade answered 500 / 404',
      faults: `${e500.attempts} + ${e404.attempts} refused attempts in ${window / 1000} s`,
      sent: 0,
      received: 0,
      lost: 0,
      duplicated: 0,
      notes: `500 (no jitter) delays ${e500.seen.delays.join('/')}; 404 (equal jitter) delays ${e404.seen.delays.map(Math.round).join('/')}`,
    });
    // No jitter: attempts at 0, 100, 300, 700, 1500, 3100 ms; the next would be at 6300.
    expect(e500.attempts).toBe(6);
    expect(e500.seen.delays).toEqual(caps.slice(0, 6));
    expect(e500.seen.closes.every((c) => c.code === 1006 && c.willReconnect)).toBe(true);
    // Equal jitter: each delay in [cap/2, cap], so the 7th attempt lands between 3150 and 6300.
    expect(e404.attempts).toBeGreaterThanOrEqual(6);
    expect(e404.attempts).toBeLessThanOrEqual(7);
    e404.seen.delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(caps[i]! / 2);
      expect(delay).toBeLessThanOrEqual(caps[i]!);
    });
  });
});

describe('close codes from the server', () => {
  /** A server that closes connection k (1-based) with codes[k-1], if any, 50 ms after open. */
  async function closingServer(codes: number[]) {
    let connections = 0;
    const server = await startTestServer({
      onConnection: (ws) => {
        const code = codes[connections++];
        if (code) setTimeout(() => ws.close(code, `code ${code}`), 50);
      },
    });
    cleanup.push(() => server.close());
    return server;
  }

  it('reconnects after 1012 (rolling restart) and 1013 (try again later), stays closed after 4001', async () => {
    const retrying = await closingServer([1012, 1013, 1012, 1013]);
    const a = new Socket(retrying.url('/'), {
      WebSocket,
      reconnect: { initialDelay: 20, maxDelay: 300 },
    });
    cleanup.push(() => a.dispose());
    const seenA = watch(a);
    await waitUntil(() => seenA.opens === 5 && a.status === 'open', 10_000, '5th open');
    a.sendJson('seq', { n: 1 });
    await retrying.waitFor(() => retrying.received.length === 1, 5000, 'message after the retries');

    const auth = await closingServer([4001]);
    const b = new Socket(auth.url('/'), {
      WebSocket,
      reconnect: { initialDelay: 20, maxDelay: 300 },
    });
    cleanup.push(() => b.dispose());
    const seenB = watch(b);
    await waitUntil(() => b.status === 'open', 5000, 'open');
    const pending = b.request('whoami', {}).catch((error: LifelineError) => error.code);
    await waitUntil(() => b.status === 'closed', 5000, 'closed after 4001');
    await sleep(1000); // any further attempt would show up here

    report.add({
      scenario: 'close-code policy (1012, 1013, 4001)',
      faults: '4 retryable + 1 fatal close',
      sent: 1,
      received: retrying.received.length,
      lost: 1 - retrying.received.length,
      duplicated: 0,
      notes: `4001 → ${b.status}, ${auth.upgrades.length} attempt(s)`,
    });
    expect(seenA.closes.map((c) => [c.code, c.willReconnect])).toEqual([
      [1012, true],
      [1013, true],
      [1012, true],
      [1013, true],
    ]);
    expect(retrying.upgrades).toHaveLength(5);
    expect(seenB.closes.map((c) => [c.code, c.reason, c.wasClean, c.willReconnect])).toEqual([
      [4001, 'code 4001', true, false],
    ]);
    expect(seenB.delays).toEqual([]);
    expect(auth.upgrades).toHaveLength(1);
    expect(await pending).toBe('ERR_CLOSED');
  });
});
