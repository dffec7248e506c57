// JSON envelopes (DESIGN §3) against a real `ws` server in Node: at-least-once requests across a
// drop, remote errors, a thousand concurrent requests, and routing of server-pushed envelopes.
import { type Envelope, LifelineError, Socket, type SocketOptions } from '@lifeline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket as ServerSocket, WebSocket as WS } from 'ws';
import { until } from '../../../test/support/wait';
import { delay, startTestServer, type TestServer } from '../../../test/support/ws-server';

const WebSocket = WS as never;
const fast = { initialDelay: 20, maxDelay: 200 };
const cleanup: Array<() => unknown> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

type Handler = (envelope: Envelope, ws: ServerSocket) => void;

/** A server that decodes every text frame as an envelope and hands it to `handle`. */
async function envelopeServer(
  handle: Handler,
  onConnection?: (ws: ServerSocket) => void,
): Promise<TestServer> {
  const started = await startTestServer({
    onConnection: (ws) => {
      ws.on('message', (data) => {
        let envelope: Envelope;
        try {
          envelope = JSON.parse(String(data));
        } catch {
          return;
        }
        handle(envelope, ws);
      });
      onConnection?.(ws);
    },
  });
  cleanup.push(() => started.close());
  return started;
}

function socket(url: string, options: SocketOptions = {}): Socket {
  const made = new Socket(url, { WebSocket, reconnect: fast, ...options });
  cleanup.push(() => made.dispose());
  return made;
}

const reply = (ws: ServerSocket, request: Envelope, fields: Partial<Envelope>) =>
  ws.send(JSON.stringify({ type: request.type, re: request.id, ...fields }));

describe('requests against a real server', () => {
  it('resends a request in flight when the connection drops, same id, and resolves it once', async () => {
    const seen = new Map<string, number>();
    const srv = await envelopeServer((request, ws) => {
      const times = (seen.get(request.id!) ?? 0) + 1;
      seen.set(request.id!, times);
      // First delivery: swallow it and drop the connection; then answer (twice: a duplicate
      // reply must not settle anything again).
      if (times === 1) return void ws.terminate();
      reply(ws, request, { data: { ok: true, delivery: times } });
      reply(ws, request, { data: { ok: false, delivery: times } });
    });
    const s = socket(srv.url());
    await until(() => s.status === 'open', 'open');
    const closes: number[] = [];
    s.on('close', (event) => closes.push(event.code));

    const settled: unknown[] = [];
    const result = s.request('slow', { n: 1 }).then(
      (data) => settled.push(['resolved', data]),
      (error) => settled.push(['rejected', error]),
    );
    await result;
    await delay(100);

    expect(settled).toEqual([['resolved', { ok: true, delivery: 2 }]]);
    expect(closes).toEqual([1006]);
    expect(seen.size).toBe(1);
    const [id, count] = [...seen][0]!;
    expect(count).toBe(2);
    const frames = srv.received.map((frame) => JSON.parse(frame));
    expect(frames).toEqual([
      { type: 'slow', id, data: { n: 1 } },
      { type: 'slow', id, data: { n: 1 } },
    ]);
    expect(srv.upgrades).toHaveLength(2);
  });

  it('never resends an answered request after a reconnect; an unanswered one goes again', async () => {
    let connections = 0;
    const byConnection: Array<Array<[string, string]>> = [];
    const srv = await envelopeServer(
      (request, ws) => {
        const connection = (ws as ServerSocket & { n: number }).n;
        byConnection[connection]!.push([request.type, request.id!]);
        // `answered` gets its reply at once; `pending` only once it arrives again.
        if (request.type === 'answered' || connection > 0) reply(ws, request, { data: connection });
      },
      (ws) => {
        (ws as ServerSocket & { n: number }).n = connections++;
        byConnection.push([]);
      },
    );
    const s = socket(srv.url());
    await until(() => s.status === 'open', 'open');
    expect(await s.request('answered', null)).toBe(0);
    const pending = s.request('pending', null);
    await until(() => byConnection[0]!.length === 2, 'both requests at the server');

    srv.terminateAll();
    expect(await pending).toBe(1);
    await delay(150); // a wrong resend would arrive right behind
    const [answeredId, pendingId] = byConnection[0]!.map(([, id]) => id);
    expect(byConnection).toEqual([
      [
        ['answered', answeredId],
        ['pending', pendingId],
      ],
      [['pending', pendingId]],
    ]);
  });

  it('rejects with ERR_REMOTE carrying the server message and code', async () => {
    const srv = await envelopeServer((request, ws) =>
      reply(ws, request, { error: { message: 'division by zero', code: 'E_DIV' } }),
    );
    const s = socket(srv.url());
    const error = await s.request('divide', { a: 1, b: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LifelineError);
    expect(error).toMatchObject({
      name: 'LifelineError',
      code: 'ERR_REMOTE',
      message: 'division by zero',
      remote: { message: 'division by zero', code: 'E_DIV' },
    });
    expect(s.status).toBe('open'); // an error reply is not a connection problem
  });

  it('resolves 1,000 concurrent requests, answered out of order, each with its own reply', async () => {
    const srv = await envelopeServer((request, ws) => {
      const { a, b } = request.data as { a: number; b: number };
      // Answer in a shuffled order so only the ids can match replies to requests.
      setTimeout(() => reply(ws, request, { data: a + b }), Math.floor(Math.random() * 20));
    });
    const s = socket(srv.url());
    await until(() => s.status === 'open', 'open');
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => s.request('sum', { a: i, b: 2 * i })),
    );
    expect(results).toEqual(Array.from({ length: 1000 }, (_, i) => 3 * i));
    const ids = srv.received.map((frame) => JSON.parse(frame).id as string);
    expect(ids).toHaveLength(1000);
    expect(new Set(ids).size).toBe(1000);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('requests while the connection is down', () => {
  it('does not send a queued request that timed out or was aborted before the reconnect', async () => {
    const srv = await envelopeServer((request, ws) => reply(ws, request, { data: 'done' }));
    const s = socket(srv.url());
    await until(() => s.status === 'open', 'open');
    const restarted = srv.restart(400);
    await until(() => s.status === 'reconnecting', 'reconnecting');

    const controller = new AbortController();
    const timedOut = s.request('charge', { cents: 100 }, { timeout: 100 }).catch((e: unknown) => e);
    const aborted = s
      .request('charge', { cents: 200 }, { signal: controller.signal })
      .catch((e: unknown) => e);
    const kept = s.request('charge', { cents: 300 });
    expect(s.queued).toBe(3);
    controller.abort();
    expect(await timedOut).toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(await aborted).toMatchObject({ code: 'ERR_ABORTED' });

    await restarted;
    expect(await kept).toBe('done');
    await delay(100);
    // The caller was told these failed: sending them now would run a command twice (or one
    // the user cancelled), the "stale command" DESIGN §2 warns about.
    expect(srv.received.map((frame) => JSON.parse(frame).data)).toEqual([{ cents: 300 }]);
  });

  it('rejects a pending request with ERR_CLOSED when the server closes for good (1000)', async () => {
    const srv = await envelopeServer((_request, ws) => ws.close(1000, 'done'));
    const s = socket(srv.url());
    const error = await s.request('never', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LifelineError);
    expect(error).toMatchObject({ code: 'ERR_CLOSED' });
    expect(s.status).toBe('closed');
    expect(srv.upgrades).toHaveLength(1);
  });
});

describe('server-pushed envelopes', () => {
  const pushes = [
    '{"type":"chat","data":{"text":"hi"}}',
    '{"type":"news","data":1}',
    'not json at all',
    '[1,2,3]',
    '{"type":"chat","data":{"text":"again","__proto__":{"polluted":true}}}',
    '{"data":"no type"}',
  ];

  it('routes envelopes by type to onMessage and every frame to message, never throwing', async () => {
    const srv = await envelopeServer(
      (envelope, ws) => {
        if (envelope.type === 'more') ws.send('{"type":"chat","data":{"text":"late"}}');
      },
      (ws) => {
        for (const frame of pushes) ws.send(frame);
      },
    );
    const s = socket(srv.url());
    const chat: unknown[] = [];
    const chatEnvelopes: Envelope[] = [];
    const all: Envelope[] = [];
    const raw: unknown[] = [];
    const errors: unknown[] = [];
    const offChat = s.onMessage('chat', (data, envelope) => {
      chat.push(data);
      chatEnvelopes.push(envelope);
    });
    s.onMessage('*', (envelope) => all.push(envelope));
    s.on('message', (event) => raw.push(event.data));
    s.on('error', (error) => errors.push(error));

    await until(() => raw.length === pushes.length, 'every pushed frame');
    expect(raw).toEqual(pushes);
    expect(chat).toEqual([{ text: 'hi' }, { text: 'again' }]);
    expect(chatEnvelopes[0]).toEqual({ type: 'chat', data: { text: 'hi' } });
    expect(all.map((envelope) => envelope.type)).toEqual(['chat', 'news', 'chat']);
    expect(all[1]).toEqual({ type: 'news', data: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(chat[1])).toBe(Object.prototype);
    expect(errors).toEqual([]);

    offChat();
    s.sendJson('more', null);
    await until(() => raw.length === pushes.length + 1, 'the late push');
    expect(chat).toHaveLength(2); // unsubscribed
    expect(all.map((envelope) => envelope.type)).toEqual(['chat', 'news', 'chat', 'chat']);
    expect(srv.received).toEqual(['{"type":"more","data":null}']);
  });
});
