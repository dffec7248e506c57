// The reference server (server.ts) against the real Lifeline client and raw `ws` clients:
// request/reply, error replies, heartbeat pong, the id dedupe that at-least-once requests
// depend on (including a real drop in the middle of a request), streams with resume, and the
// whole conformance kit (@lifeline/conformance) with the four fixture handlers below.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { runConformance } from '@lifeline/conformance';
import { LifelineError, Socket, type SocketOptions } from '@lifeline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket as WS } from 'ws';
import {
  attachLifelineProtocol,
  type Handler,
  ProtocolError,
  type ProtocolOptions,
  StreamLog,
} from './server';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function serve(handlers: Record<string, Handler>, options?: ProtocolOptions) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 });
  await once(wss, 'listening');
  const detach = attachLifelineProtocol(wss, handlers, options);
  cleanup.push(async () => {
    detach();
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
  });
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  return { wss, url };
}

function client(url: string, options: SocketOptions = {}) {
  const socket = new Socket(url, {
    WebSocket: WS,
    reconnect: { initialDelay: 10, maxDelay: 50 },
    ...options,
  });
  cleanup.push(() => socket.dispose());
  return socket;
}

/** A bare `ws` client that records every text frame it receives. */
async function raw(url: string) {
  const ws = new WS(url);
  const received: string[] = [];
  ws.on('message', (data) => received.push(data.toString()));
  await once(ws, 'open');
  cleanup.push(() => ws.terminate());
  const next = async (count = 1) => {
    const deadline = Date.now() + 2000;
    while (received.length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} frames, got ${received.length}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return received.map((frame) => JSON.parse(frame));
  };
  return { ws, received, next };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('attachLifelineProtocol', () => {
  it("answers a request with the handler's result", async () => {
    const { url } = await serve({ sum: (data) => (data as { a: number }).a + 2 });
    await expect(client(url).request('sum', { a: 1 })).resolves.toBe(3);
  });

  it('turns a thrown ProtocolError into ERR_REMOTE with the server message and code', async () => {
    const { url } = await serve({
      buy: () => {
        throw new ProtocolError('Out of tea', 'OUT_OF_STOCK');
      },
    });
    const error = await client(url)
      .request('buy', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LifelineError);
    expect(error).toMatchObject({
      code: 'ERR_REMOTE',
      message: 'Out of tea',
      remote: { message: 'Out of tea', code: 'OUT_OF_STOCK' },
    });
  });

  it('answers a request type without a handler with an UNKNOWN_TYPE error reply', async () => {
    const { url } = await serve({});
    await expect(client(url).request('nope', null)).rejects.toMatchObject({
      code: 'ERR_REMOTE',
      remote: { code: 'UNKNOWN_TYPE' },
    });
  });

  it('answers heartbeat pings with a pong, which gives the client its latency', async () => {
    const { url } = await serve({});
    const peer = await raw(url);
    peer.ws.send('{"type":"ping"}');
    expect(await peer.next()).toEqual([{ type: 'pong' }]);

    const socket = client(url, { heartbeat: { interval: 20, timeout: 1000 } });
    const deadline = Date.now() + 3000;
    while (socket.latency === undefined && Date.now() < deadline) await wait(10);
    expect(socket.latency).toBeTypeOf('number');
    expect(socket.status).toBe('open');
  });

  it('runs an event handler without replying', async () => {
    const seen: unknown[] = [];
    const { url } = await serve({ chat: (data) => void seen.push(data) });
    const peer = await raw(url);
    peer.ws.send('{"type":"chat","data":{"text":"hi"}}');
    peer.ws.send('{"type":"ping"}'); // answered after the event was handled
    await peer.next();
    expect(seen).toEqual([{ text: 'hi' }]);
    expect(peer.received).toEqual(['{"type":"pong"}']);
  });

  it('ignores frames that are not envelopes and keeps answering', async () => {
    const { url } = await serve({ echo: (data) => data });
    const peer = await raw(url);
    for (const junk of ['hello', '[1,2]', '{"type":5}', '{"type":"echo","id":7}', 'null', '{'])
      peer.ws.send(junk);
    peer.ws.send(Buffer.from([1, 2, 3]));
    peer.ws.send('{"type":"echo","id":"a","data":"ok"}');
    expect(await peer.next()).toEqual([{ type: 'echo', re: 'a', data: 'ok' }]);
  });

  it('runs a request resent after a drop only once, and the client still gets its reply', async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { wss, url } = await serve({
      order: async () => {
        calls++;
        await gate; // still working when the connection dies
        return { orderId: 42 };
      },
    });
    const ids: string[] = [];
    wss.on('connection', (ws) =>
      ws.on('message', (data) => {
        const id = JSON.parse(data.toString()).id;
        if (id) ids.push(id);
      }),
    );
    const socket = client(url);
    const reply = socket.request('order', { sku: 'tea' });
    while (calls === 0) await wait(5);

    for (const ws of wss.clients) ws.terminate(); // the client sees 1006 and reconnects
    while (ids.length < 2) await wait(5); // ...and sends the request again, same id
    release();

    await expect(reply).resolves.toEqual({ orderId: 42 });
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
    expect(calls).toBe(1);
  });

  it('replays the remembered reply for a repeated id instead of running the handler again', async () => {
    let calls = 0;
    const { url } = await serve({ count: () => ++calls });
    const first = await raw(url);
    first.ws.send('{"type":"count","id":"x-1"}');
    const [reply] = await first.next();
    first.ws.close();

    const second = await raw(url); // a new connection, as after a reconnect
    second.ws.send('{"type":"count","id":"x-1"}');
    second.ws.send('{"type":"count","id":"x-2"}');
    expect(await second.next(2)).toEqual([reply, { type: 'count', re: 'x-2', data: 2 }]);
    expect(calls).toBe(2);
  });

  it('remembers ids per clientKey, so two clients may use the same id', async () => {
    let calls = 0;
    const { url } = await serve(
      { count: () => ++calls },
      {
        clientKey: (request) =>
          new URL(request.url ?? '/', 'ws://x').searchParams.get('user') ?? '',
      },
    );
    const ana = await raw(`${url}/?user=ana`);
    const bo = await raw(`${url}/?user=bo`);
    ana.ws.send('{"type":"count","id":"1"}');
    await ana.next();
    bo.ws.send('{"type":"count","id":"1"}');
    await bo.next();
    expect(calls).toBe(2);
  });

  it('forgets replies after dedupeMs', async () => {
    let calls = 0;
    const { url } = await serve({ count: () => ++calls }, { dedupeMs: 30 });
    const peer = await raw(url);
    peer.ws.send('{"type":"count","id":"1"}');
    await peer.next(1);
    await wait(60);
    peer.ws.send('{"type":"count","id":"1"}');
    expect((await peer.next(2)).map((frame) => frame.data)).toEqual([1, 2]);
  });
});

/** The handlers @lifeline/conformance calls, for a test deployment of the reference server. */
function conformanceHandlers(streams: StreamLog): Record<string, Handler> {
  const runs = new Map<string, number>(); // conformance.echo runs by data.key
  return {
    'conformance.echo': async (data) => {
      const { key, delay } = (data ?? {}) as { key?: unknown; delay?: unknown };
      if (typeof key === 'string') runs.set(key, (runs.get(key) ?? 0) + 1);
      if (typeof delay === 'number') await wait(Math.min(delay, 5000));
      return data;
    },
    'conformance.count': (data) => runs.get(String((data as { key?: unknown })?.key)) ?? 0,
    'conformance.fail': (data) => {
      const { message, code } = data as { message: string; code: string };
      throw new ProtocolError(message, code);
    },
    'conformance.publish': (data) => {
      const message = data as { stream: string; type: string; data: unknown };
      return streams.publish(message.stream, message.type, message.data);
    },
  };
}
// conformance:small:* streams keep 5 messages, so a resume past that window can be checked.
const conformanceStreams = () =>
  new StreamLog((stream) => (stream.startsWith('conformance:small:') ? 5 : 1000));

describe('streams', () => {
  it('delivers live messages to a Lifeline subscription and resumes after a drop without gaps', async () => {
    const streams = new StreamLog();
    const { wss, url } = await serve({}, { streams });
    const socket = client(url);
    const seen: unknown[] = [];
    const room = socket.subscribe('room:1', (data) => seen.push(data));
    while (room.status !== 'live') await wait(5);
    streams.publish('room:1', 'chat', 1);
    streams.publish('room:1', 'chat', 2);
    while (seen.length < 2) await wait(5);

    for (const ws of wss.clients) ws.terminate(); // published while the client is away:
    streams.publish('room:1', 'chat', 3);
    streams.publish('room:1', 'chat', 4);
    while (seen.length < 4) await wait(5);
    streams.publish('room:1', 'chat', 5);
    while (seen.length < 5) await wait(5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(room.position?.seq).toBe('5');
  });

  it('answers a resume it cannot honour with recovered: false and no replay', async () => {
    const streams = new StreamLog(() => 2);
    const { url } = await serve({}, { streams });
    const { epoch } = streams.publish('s', 't', 1);
    for (const n of [2, 3, 4]) streams.publish('s', 't', n);
    const peer = await raw(url);
    peer.ws.send(
      JSON.stringify({
        type: 'subscribe',
        id: 'a',
        data: { stream: 's', since: { epoch, seq: '1' } },
      }),
    );
    peer.ws.send(
      JSON.stringify({
        type: 'subscribe',
        id: 'b',
        data: { stream: 's', since: { epoch, seq: '2' } },
      }),
    );
    const frames = await peer.next(4);
    expect(frames).toEqual([
      { type: 'subscribe', re: 'a', data: { epoch, seq: '4', recovered: false } },
      { type: 'subscribe', re: 'b', data: { epoch, seq: '4', recovered: true } },
      { type: 't', stream: 's', epoch, seq: '3', data: 3 },
      { type: 't', stream: 's', epoch, seq: '4', data: 4 },
    ]);
  });

  it('refuses a subscribe without a stream with INVALID_STREAM', async () => {
    const { url } = await serve({});
    const peer = await raw(url);
    peer.ws.send('{"type":"subscribe","id":"x","data":{"since":{"epoch":"e","seq":"01"}}}');
    expect(await peer.next()).toEqual([
      {
        type: 'subscribe',
        re: 'x',
        error: { message: expect.any(String), code: 'INVALID_STREAM' },
      },
    ]);
  });
});

describe('conformance', () => {
  it('passes every check of @lifeline/conformance', async () => {
    const streams = conformanceStreams();
    const { url } = await serve(conformanceHandlers(streams), { streams });
    const report = await runConformance(url, { maxPayload: 64 * 1024 });
    expect(report.results.filter((result) => result.status !== 'pass')).toEqual([]);
    expect(report.results.length).toBeGreaterThanOrEqual(20);
    expect(report.ok).toBe(true);
  });
});
