// Validation (DESIGN §12) against the real @lifeline/server on `ws` (127.0.0.1): a request's
// reply schema (valid, invalid → ERR_INVALID_MESSAGE), message schemas with an async schema
// keeping arrival order over the network, and stream schemas: an invalid stream message is
// reported, not consumed, and fetched again when the subscription resumes after a drop.
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type InvalidEvent, LifelineError, Socket, type SocketOptions } from '@lifeline/core';
import { createServer, type LifelineServer } from '@lifeline/server';
import * as v from 'valibot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import { z } from 'zod';
import { until } from '../../../test/support/wait';
import { delay } from '../../../test/support/ws-server';

let http: Server;
let server: LifelineServer;
let url: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  http = createHttpServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`;
  server = createServer({ server: http });
  await server.ready();
  server.handle('user', (data) => {
    const { id } = data as { id: number };
    return id === 1 ? { id, name: 'Ada', since: '2020-01-02T00:00:00.000Z' } : { id, name: 42 };
  });
  // Events first, then the reply: all on one connection, in this order.
  server.handle('burst', (data, ctx) => {
    for (let n = 0; n < (data as number); n++) ctx.send('tick', { n });
    return 'done';
  });
  server.handle('cut', (_data, ctx) => {
    ctx.socket.terminate();
  });
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.dispose();
});
afterAll(async () => {
  await server.close();
  await new Promise((resolve) => http.close(resolve));
});

function connect(options: SocketOptions = {}): Socket {
  const socket = new Socket(url, {
    WebSocket: WS as never,
    reconnect: { initialDelay: 20, maxDelay: 20, jitter: 'none' },
    ...options,
  });
  sockets.push(socket);
  return socket;
}

describe('validation against a real server', () => {
  it('resolves a request with its reply schema output, rejects an invalid reply', async () => {
    const socket = connect();
    const user = z.object({ id: z.number(), name: z.string(), since: z.coerce.date() });
    const ada = await socket.request('user', { id: 1 }, { schema: user });
    expect(ada).toEqual({ id: 1, name: 'Ada', since: new Date('2020-01-02T00:00:00.000Z') });
    const error = (await socket
      .request('user', { id: 2 }, { schema: user })
      .catch((caught: unknown) => caught)) as LifelineError & { issues: unknown[] };
    expect(error).toBeInstanceOf(LifelineError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_MESSAGE' });
    expect(error.issues).toContainEqual(expect.objectContaining({ path: ['name'] }));
  });

  it('keeps 200 messages and the reply in order behind an async schema', async () => {
    const tick = z.object({ n: z.number() }).refine(async ({ n }) => {
      // Earlier messages take longer: an unordered implementation would deliver backwards.
      await delay(n % 7 === 0 ? 10 - (n % 10) : 0);
      return n % 50 !== 49;
    });
    const socket = connect({ schemas: { tick } });
    const order: string[] = [];
    const invalid: InvalidEvent[] = [];
    socket.on('invalid', (event) => invalid.push(event));
    socket.onMessage('tick', (data: { n: number }) => order.push(String(data.n)));
    const done = await socket.request('burst', 200);
    order.push(done);
    const expected = Array.from({ length: 200 }, (_, n) => n)
      .filter((n) => n % 50 !== 49)
      .map(String);
    expect(order).toEqual([...expected, 'done']);
    expect(invalid.map((event) => (event.envelope.data as { n: number }).n)).toEqual([
      49, 99, 149, 199,
    ]);
  });

  it('reports an invalid stream message, keeps the position before it, and gets it again on resume', async () => {
    const socket = connect({
      streamSchemas: { 'orders:*': { order: v.object({ total: v.number() }) } },
    });
    const invalid: InvalidEvent[] = [];
    socket.on('invalid', (event) => invalid.push(event));
    const got: number[] = [];
    const sub = socket.subscribe('orders:eu', (data) => got.push(data.total));
    await until(() => sub.status === 'live', 'the subscription');
    await server.publish('orders:eu', 'order', { total: 1 });
    await server.publish('orders:eu', 'order', { total: 'two' });
    await until(() => invalid.length === 1, 'the invalid report');
    expect(got).toEqual([1]);
    expect(invalid[0]).toMatchObject({ type: 'order', stream: 'orders:eu' });
    const before = sub.position!;
    expect(invalid[0]!.envelope.seq).toBe(String(Number(before.seq) + 1));

    // The connection dies; the resume starts from the position, so the server replays it.
    await socket.request('cut', undefined, { timeout: 200 }).catch(() => {});
    await until(() => invalid.length === 2, 'the replayed invalid message');
    expect(invalid[1]!.envelope.seq).toBe(invalid[0]!.envelope.seq);
    expect(sub.position).toEqual(before);

    // The next valid message is delivered (no gap) and moves the position past both.
    const head = await server.publish('orders:eu', 'order', { total: 3 });
    await until(() => got.length === 2, 'the next message');
    expect(got).toEqual([1, 3]);
    expect(sub.position).toEqual(head);
  });
});
