// Envelopes over the socket: sendJson, onMessage routing and request/reply, with fake timers.
import { describe, expect, it, vi } from 'vitest';
import { LifelineError } from '../src/errors';
import type { Socket } from '../src/socket';
import { FakeWebSocket, FakeWS } from './support/fake-websocket';
import { makeSocket, SOCKET_URL, useFakeSocketEnvironment } from './support/harness';

const sentEnvelopes = (ws: FakeWebSocket) => ws.sent.map((frame) => JSON.parse(frame as string));

useFakeSocketEnvironment();

async function rejection(promise: Promise<unknown>): Promise<LifelineError> {
  try {
    await promise;
  } catch (error) {
    return error as LifelineError;
  }
  throw new Error('expected the promise to reject');
}

describe('sendJson and onMessage', () => {
  it('sends envelopes, queued like send', () => {
    const socket = makeSocket();
    expect(socket.sendJson('chat', { text: 'early' })).toBe('queued');
    FakeWebSocket.last.open();
    expect(socket.sendJson('chat', { text: 'now' })).toBe('sent');
    expect(sentEnvelopes(FakeWebSocket.last)).toEqual([
      { type: 'chat', data: { text: 'early' } },
      { type: 'chat', data: { text: 'now' } },
    ]);
  });

  it('routes envelopes by type, "*" gets every envelope, unsubscribe stops delivery', () => {
    const socket = makeSocket();
    const chat = vi.fn();
    const all = vi.fn();
    const raw = vi.fn();
    const off = socket.onMessage('chat', chat);
    socket.onMessage('*', all);
    socket.on('message', (e) => raw(e.data));
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive('{"type":"chat","data":{"text":"hi"}}');
    FakeWebSocket.last.receive('{"type":"other","data":1}');
    FakeWebSocket.last.receive('plain text');
    FakeWebSocket.last.receive('{"broken":');
    off();
    FakeWebSocket.last.receive('{"type":"chat","data":{"text":"again"}}');
    expect(chat).toHaveBeenCalledTimes(1);
    expect(chat).toHaveBeenCalledWith({ text: 'hi' }, { type: 'chat', data: { text: 'hi' } });
    expect(all.mock.calls.map(([e]) => e.type)).toEqual(['chat', 'other', 'chat']);
    expect(raw).toHaveBeenCalledTimes(5); // every frame still arrives as `message`
  });

  it('a handler that unsubscribes itself or throws does not disturb the others', () => {
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    const socket = makeSocket();
    const calls: string[] = [];
    const off = socket.onMessage('x', () => {
      calls.push('first');
      off();
    });
    socket.onMessage('x', () => {
      calls.push('second');
      throw new Error('handler bug');
    });
    socket.onMessage('x', () => calls.push('third'));
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive('{"type":"x"}');
    FakeWebSocket.last.receive('{"type":"x"}');
    expect(calls).toEqual(['first', 'second', 'third', 'second', 'third']);
    expect(reported).toHaveBeenCalledTimes(2);
    vi.unstubAllGlobals();
  });

  it('a custom codec replaces JSON', () => {
    const codec = {
      encode: (e: { type: string; data?: unknown }) => `${e.type}|${JSON.stringify(e.data)}`,
      decode: (d: unknown) => {
        const [type, data] = String(d).split('|');
        return type && data ? { type, data: JSON.parse(data) } : undefined;
      },
    };
    const socket = makeSocket({ codec });
    const handler = vi.fn();
    socket.onMessage('n', handler);
    FakeWebSocket.last.open();
    socket.sendJson('n', 5);
    FakeWebSocket.last.receive('n|42');
    expect(FakeWebSocket.last.sent).toEqual(['n|5']);
    expect(handler).toHaveBeenCalledWith(42, { type: 'n', data: 42 });
  });
});

describe('request/reply', () => {
  it('never sends a queued request that timed out, was aborted or closed before the flush', async () => {
    const socket = makeSocket({ requestTimeout: 1000, queue: { maxMessages: 3 } });
    const controller = new AbortController();
    const timedOut = socket.request('a', 1);
    const aborted = socket.request('b', 2, { signal: controller.signal });
    controller.abort();
    vi.advanceTimersByTime(1000);
    expect((await rejection(timedOut)).code).toBe('ERR_TIMEOUT');
    expect((await rejection(aborted)).code).toBe('ERR_ABORTED');
    // The dead frames give up their room in the queue instead of pushing live ones out.
    socket.sendJson('x', 1);
    socket.sendJson('y', 2);
    const kept = socket.request('c', 3, { timeout: 0 });
    expect(socket.queued).toBe(3);
    FakeWebSocket.last.open();
    expect(sentEnvelopes(FakeWebSocket.last).map((e) => e.type)).toEqual(['x', 'y', 'c']);
    socket.close();
    expect((await rejection(kept)).code).toBe('ERR_CLOSED');
  });

  it('resolves with the reply data, once; an answered request is never resent after a reconnect', async () => {
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    const socket = makeSocket();
    const first = FakeWebSocket.last;
    first.open();
    const answered = socket.request('sum', { a: 1, b: 2 });
    const unanswered = socket.request('slow', null); // shows that a resend does happen
    const [request, control] = sentEnvelopes(first);
    expect(request).toMatchObject({ type: 'sum', data: { a: 1, b: 2 } });
    expect(typeof request.id).toBe('string');
    const typeHandler = vi.fn();
    socket.onMessage('sum', typeHandler);
    first.receive(JSON.stringify({ type: 'sum', re: request.id, data: 3 }));
    first.receive(JSON.stringify({ type: 'sum', re: request.id, data: 999 })); // duplicate
    await expect(answered).resolves.toBe(3);
    expect(typeHandler).not.toHaveBeenCalled(); // replies are not server events

    first.fail();
    vi.advanceTimersByTime(1000);
    const second = FakeWebSocket.last;
    second.open();
    expect(sentEnvelopes(second).map((e) => e.id)).toEqual([control.id]);
    // A late duplicate on the new connection settles nothing and breaks nothing.
    second.receive(JSON.stringify({ type: 'sum', re: request.id, data: 999 }));
    second.receive(JSON.stringify({ type: 'slow', re: control.id, data: 'done' }));
    await expect(unanswered).resolves.toBe('done');
    second.fail();
    vi.advanceTimersByTime(2000); // the second attempt's backoff
    const third = FakeWebSocket.last;
    expect(third).not.toBe(second);
    third.open();
    expect(third.sent).toEqual([]); // both answered: nothing to resend
    expect(reported).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
  });

  it('rejects with ERR_REMOTE carrying the server message and code', async () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const promise = socket.request('sum', { a: 'x' });
    const { id } = sentEnvelopes(FakeWebSocket.last)[0];
    FakeWebSocket.last.receive(
      JSON.stringify({
        type: 'sum',
        re: id,
        error: { message: 'a must be a number', code: 'E_ARG' },
      }),
    );
    const error = await rejection(promise);
    expect(error).toBeInstanceOf(LifelineError);
    expect(error.code).toBe('ERR_REMOTE');
    expect(error.message).toBe('a must be a number');
    expect(error.remote).toEqual({ message: 'a must be a number', code: 'E_ARG' });
  });

  it('times out with ERR_TIMEOUT (option or requestTimeout) and leaves no timer', async () => {
    const socket = makeSocket({ requestTimeout: 3000 });
    FakeWebSocket.last.open();
    const byDefault = socket.request('slow', null);
    const byOption = socket.request('slow', null, { timeout: 500 });
    vi.advanceTimersByTime(500);
    expect((await rejection(byOption)).code).toBe('ERR_TIMEOUT');
    vi.advanceTimersByTime(2500);
    expect((await rejection(byDefault)).code).toBe('ERR_TIMEOUT');
    socket.close();
    FakeWebSocket.last.finishClose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts with ERR_ABORTED, also when the signal is already aborted', async () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const controller = new AbortController();
    const promise = socket.request('x', 1, { signal: controller.signal });
    controller.abort();
    expect((await rejection(promise)).code).toBe('ERR_ABORTED');
    const sentBefore = FakeWebSocket.last.sent.length;
    expect((await rejection(socket.request('x', 2, { signal: controller.signal }))).code).toBe(
      'ERR_ABORTED',
    );
    expect(FakeWebSocket.last.sent).toHaveLength(sentBefore); // never sent
  });

  it('is resent with the same id after a reconnect and resolves exactly once', async () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const promise = socket.request('work', { n: 1 });
    const queuedLater = socket.request('later', null); // sent too
    const first = sentEnvelopes(FakeWebSocket.last);
    FakeWebSocket.last.fail();
    const whileDown = socket.request('down', null); // queued
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.open();
    const second = sentEnvelopes(FakeWebSocket.last);
    // In-flight requests first (same ids), then what was queued while down.
    expect(second.map((e) => [e.type, e.id])).toEqual([
      ['work', first[0].id],
      ['later', first[1].id],
      ['down', expect.any(String)],
    ]);
    for (const e of second)
      FakeWebSocket.last.receive(JSON.stringify({ type: e.type, re: e.id, data: e.type }));
    await expect(promise).resolves.toBe('work');
    await expect(queuedLater).resolves.toBe('later');
    await expect(whileDown).resolves.toBe('down');
  });

  it('rejects pending requests with ERR_CLOSED on close(), dispose() and a fatal close', async () => {
    const a = makeSocket();
    FakeWebSocket.last.open();
    const pa = a.request('x', 1);
    a.close();
    expect((await rejection(pa)).code).toBe('ERR_CLOSED');

    const b = makeSocket();
    const pb = b.request('x', 1); // queued
    b.dispose();
    expect((await rejection(pb)).code).toBe('ERR_CLOSED');
    expect((await rejection(b.request('x', 2))).code).toBe('ERR_CLOSED');

    const c = makeSocket();
    FakeWebSocket.last.open();
    const pc = c.request('x', 1);
    FakeWebSocket.last.serverClose(4001, 'unauthorized');
    expect((await rejection(pc)).code).toBe('ERR_CLOSED');
  });

  it('rejects at once when its queued frame is dropped, with queue: false when not open', async () => {
    const socket = makeSocket({ queue: { maxMessages: 1 } });
    const first = socket.request('a', 1);
    const second = socket.request('b', 2); // pushes the first out
    expect((await rejection(first)).code).toBe('ERR_QUEUE_FULL');
    socket.clearQueue();
    expect((await rejection(second)).code).toBe('ERR_ABORTED');

    const expiring = makeSocket({ queue: { maxAge: 100 } });
    const stale = expiring.request('c', 3);
    vi.advanceTimersByTime(200);
    FakeWebSocket.last.open();
    expect((await rejection(stale)).code).toBe('ERR_TIMEOUT');

    const strict = makeSocket({ queue: false });
    expect((await rejection(strict.request('d', 4))).code).toBe('ERR_NOT_OPEN');
  });
});

describe('request ids (DESIGN §3: a per-socket random prefix of ≥ 96 bits, then a counter)', () => {
  /** Ids of the first `count` requests of a socket that has not sent any yet. */
  function idsOf(socket: Socket, count = 12): string[] {
    const ws = FakeWebSocket.last;
    ws.open();
    for (let i = 0; i < count; i++) void socket.request('x', i).catch(() => {});
    return sentEnvelopes(ws).map((e) => e.id as string);
  }
  /** What every id of one socket starts with: the prefix (counters 1…12 differ at once). */
  const prefixOf = (ids: string[]) =>
    ids.reduce((prefix, id) => {
      let i = 0;
      while (i < prefix.length && prefix[i] === id[i]) i++;
      return prefix.slice(0, i);
    });
  /** Entropy of a string of random symbols, judged by the smallest usual alphabet it fits. */
  function bits(prefix: string): number {
    // The separator before the counter carries none (the random part may end in `-` itself).
    const symbols = prefix.replace(/[^0-9A-Za-z_-]$/, '').replace(/-$/, '');
    const alphabet = /^[0-9a-f]*$/i.test(symbols) ? 16 : /^[0-9a-z]*$/.test(symbols) ? 36 : 64;
    return symbols.length * Math.log2(alphabet);
  }

  it('two sockets never share an id: each has its own random prefix of at least 96 bits', () => {
    const a = idsOf(makeSocket());
    const b = idsOf(makeSocket());
    expect(new Set([...a, ...b]).size).toBe(24);
    expect(prefixOf(a)).not.toBe(prefixOf(b));
    expect(bits(prefixOf(a))).toBeGreaterThanOrEqual(96);
    expect(bits(prefixOf(b))).toBeGreaterThanOrEqual(96);
  });

  it('takes the prefix from crypto.getRandomValues: 12+ bytes, every one of them counts', () => {
    let flip = -1; // the byte (counted across calls) to set; the others are zeros
    let requested = 0;
    vi.spyOn(crypto, 'getRandomValues').mockImplementation((array) => {
      const view = array as unknown as ArrayBufferView;
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).fill(0);
      if (flip >= requested && flip < requested + bytes.length) bytes[flip - requested] = 0xff;
      requested += bytes.length;
      return array;
    });
    const prefixWith = (byte: number) => {
      flip = byte;
      requested = 0;
      const prefix = prefixOf(idsOf(makeSocket()));
      return { prefix, requested };
    };
    const zeros = prefixWith(-1);
    expect(zeros.requested).toBeGreaterThanOrEqual(12);
    // Same random bytes, same prefix: nothing else (Math.random, time) goes into it.
    expect(prefixWith(-1).prefix).toBe(zeros.prefix);
    const flipped = Array.from({ length: 12 }, (_, byte) => prefixWith(byte).prefix);
    expect(new Set([zeros.prefix, ...flipped]).size).toBe(13);
  });

  it('two page loads (fresh module instances) never share an id', async () => {
    const ids: string[] = [];
    for (let load = 0; load < 2; load++) {
      vi.resetModules();
      const { Socket: Fresh } = await import('../src/socket');
      const socket = new Fresh(SOCKET_URL, { WebSocket: FakeWS });
      ids.push(...idsOf(socket));
      socket.dispose();
    }
    expect(new Set(ids).size).toBe(24);
  });
});

describe('heartbeat latency', () => {
  it.each([
    ['no onMessage handler', false],
    ['an onMessage handler, so every frame is decoded', true],
  ])(
    'only the pong answering a ping sets latency; other pongs change nothing (%s)',
    (_, decode) => {
      const socket = makeSocket({ heartbeat: { interval: 1000, timeout: 500 } });
      if (decode) socket.onMessage('*', () => {});
      const ws = FakeWebSocket.last;
      ws.open();
      ws.receive('{"type":"pong"}'); // nobody asked
      expect(socket.latency).toBeUndefined();
      // The ping goes out after 1 to 1.25 intervals of silence (the heartbeat checks 4 times
      // per interval); this one follows the frame above.
      vi.advanceTimersByTime(1250);
      expect(ws.sent).toEqual(['{"type":"ping"}']);
      vi.advanceTimersByTime(40);
      ws.receive('{"type":"pong"}');
      expect(socket.latency).toBe(40);
      vi.advanceTimersByTime(300);
      ws.receive('{"type":"pong"}'); // a second answer to the same ping
      expect(socket.latency).toBe(40);
      expect(ws.sent).toHaveLength(1);
    },
  );
});
