// Regression tests for issue 12's native-parity gaps and API edges: what code written for
// `new WebSocket(url)` expects from `new Socket(url)`, and messaging corner cases.
import { describe, expect, it, vi } from 'vitest';
import { LifelineError } from '../src/errors';
import { FakeWebSocket } from './support/fake-websocket';
import { makeSocket, useFakeSocketEnvironment } from './support/harness';

useFakeSocketEnvironment();

const lastId = () => JSON.parse(FakeWebSocket.last.sent.at(-1) as string).id as string;

describe('native parity', () => {
  it('queues a copy of binary data: later mutation or transfer of the buffer changes nothing', () => {
    const socket = makeSocket({ autoConnect: false });
    const view = new Uint8Array([1, 2, 3]);
    const buffer = new Uint8Array([4, 5, 6]).buffer;
    socket.send(view);
    socket.send(buffer);
    view[0] = 99;
    structuredClone(buffer, { transfer: [buffer] }); // detaches it
    expect(buffer.byteLength).toBe(0);
    socket.connect();
    FakeWebSocket.last.open();
    const [first, second] = FakeWebSocket.last.sent as ArrayBufferLike[];
    expect([...new Uint8Array(first as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect([...new Uint8Array(second as ArrayBuffer)]).toEqual([4, 5, 6]);
  });

  it('honours { signal } in addEventListener', () => {
    const socket = makeSocket();
    const controller = new AbortController();
    const listener = vi.fn();
    socket.addEventListener('message', listener, { signal: controller.signal });
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive('one');
    controller.abort();
    FakeWebSocket.last.receive('two');
    expect(listener).toHaveBeenCalledTimes(1);
    const late = vi.fn();
    socket.addEventListener('message', late, { signal: controller.signal }); // already aborted
    FakeWebSocket.last.receive('three');
    expect(late).not.toHaveBeenCalled();
  });

  it('does not call a listener removed earlier in the same dispatch', () => {
    const socket = makeSocket();
    const second = vi.fn();
    socket.addEventListener('message', () => socket.removeEventListener('message', second));
    socket.addEventListener('message', second);
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive('x');
    expect(second).not.toHaveBeenCalled();
  });

  it('ignores an invalid binaryType, like the native setter', () => {
    const socket = makeSocket({ binaryType: 'arraybuffer' });
    socket.binaryType = 'nonsense' as BinaryType;
    expect(socket.binaryType).toBe('arraybuffer');
    expect(FakeWebSocket.last.binaryType).toBe('arraybuffer');
  });

  it('gives message events the Socket as target and currentTarget, for every listener style', () => {
    const socket = makeSocket();
    const targets: unknown[] = [];
    socket.on('message', (event) => targets.push(event.target, event.currentTarget));
    socket.addEventListener('message', (event) => targets.push(event.target));
    socket.onmessage = (event) => targets.push(event.target);
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive('x');
    expect(targets).toEqual([socket, socket, socket, socket]);
  });

  it('calls the onmessage in place after the listeners ran, as a listener left it', () => {
    const socket = makeSocket();
    const calls: string[] = [];
    const first = () => calls.push('first');
    const second = () => calls.push('second');
    socket.onmessage = first;
    socket.on('message', (event) => {
      calls.push(`listener ${event.data}`);
      socket.onmessage = event.data === 'a' ? second : null;
    });
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive('a');
    FakeWebSocket.last.receive('b');
    expect(calls).toEqual(['listener a', 'second', 'listener b']);
  });

  it('converts close() arguments like the native socket: (1000, null) and (1000.4)', () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    expect(() => socket.close(1000, null as never)).not.toThrow();
    expect(FakeWebSocket.last.closeCalls).toEqual([[1000, 'null']]);
    const other = makeSocket();
    FakeWebSocket.last.open();
    other.close(1000.4);
    expect(FakeWebSocket.last.closeCalls).toEqual([[1000, '']]);
  });

  it('removeAllListeners("message") lets the same DOM-style listener be added again', () => {
    const socket = makeSocket();
    const listener = vi.fn();
    socket.addEventListener('message', listener);
    socket.removeAllListeners('message');
    socket.addEventListener('message', listener);
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive('x');
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe('queue edges', () => {
  it('drops one oversize message alone; the queue is untouched', () => {
    const socket = makeSocket({ autoConnect: false, queue: { maxBytes: 10 } });
    for (const text of ['a', 'b', 'c', 'd', 'e']) socket.send(text);
    const drops: unknown[] = [];
    socket.on('drop', (event) => drops.push(event));
    expect(socket.send('x'.repeat(11))).toBe('dropped');
    expect(drops).toEqual([{ data: 'x'.repeat(11), reason: 'overflow' }]);
    expect(socket.queued).toBe(5);
    socket.connect();
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.sent).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('a drop listener that sends again cannot recurse or lose the queue', () => {
    const socket = makeSocket({ autoConnect: false, queue: { maxMessages: 2 } });
    socket.on('drop', ({ data }) => {
      if (data === '1') socket.send('again');
    });
    for (const text of ['1', '2', '3']) socket.send(text);
    expect(socket.queued).toBe(2);
    socket.connect();
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.sent).toEqual(['3', 'again']);
  });

  it('a queued request that timed out no longer counts in queued or bufferedAmount', async () => {
    const socket = makeSocket({ autoConnect: false });
    const failed = socket.request('slow', { n: 1 }, { timeout: 100 }).catch((e) => e);
    expect(socket.queued).toBe(1);
    expect(socket.bufferedAmount).toBeGreaterThan(0);
    vi.advanceTimersByTime(100);
    expect((await failed).code).toBe('ERR_TIMEOUT');
    expect(socket.queued).toBe(0);
    expect(socket.bufferedAmount).toBe(0);
  });
});

describe('messaging edges', () => {
  it('request() rejects, never throws, on data the codec cannot encode', async () => {
    const socket = makeSocket();
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = socket.request('sum', { big: 1n });
    }).not.toThrow();
    const error = (await promise!.catch((e) => e)) as LifelineError;
    expect(error).toBeInstanceOf(LifelineError);
    expect(error.code).toBe('ERR_INVALID_MESSAGE');
    expect(() => socket.sendJson('sum', { big: 1n })).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_MESSAGE' }),
    );
  });

  it('resolves a reply whose "error" is null or false', async () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const a = socket.request('sum', { a: 1 });
    FakeWebSocket.last.receive(`{"type":"sum","re":"${lastId()}","data":1,"error":null}`);
    const b = socket.request('sum', { a: 2 });
    FakeWebSocket.last.receive(`{"type":"sum","re":"${lastId()}","data":2,"error":false}`);
    expect(await Promise.all([a, b])).toEqual([1, 2]);
  });

  it('resolves a deeply nested reply that contains an escape', async () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const reply = socket.request('deep', {});
    const depth = 20_000;
    FakeWebSocket.last.receive(
      `{"type":"deep","re":"${lastId()}","data":${'['.repeat(depth)}"\\u00e9"${']'.repeat(depth)}}`,
    );
    let value = await reply;
    for (let i = 0; i < depth; i++) value = (value as unknown[])[0];
    expect(value).toBe('é');
  });

  it.each([10_000, 0])(
    'a request made while closing settles at once (requestTimeout %i)',
    async (requestTimeout) => {
      const socket = makeSocket({ requestTimeout });
      FakeWebSocket.last.open();
      socket.close();
      expect(socket.status).toBe('closing');
      const error = await socket.request('sum', {}).catch((e) => e);
      expect(error.code).toBe('ERR_CLOSED');
      expect(socket.queued).toBe(0);
    },
  );

  it('heartbeat pongs and replies never reach onMessage handlers, "*" included', async () => {
    const socket = makeSocket({ heartbeat: { interval: 1000, timeout: 500 } });
    const all = vi.fn();
    const pong = vi.fn();
    socket.onMessage('*', all);
    socket.onMessage('pong' as never, pong);
    FakeWebSocket.last.open();
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.receive('{"type":"pong"}');
    const reply = socket.request('sum', {});
    FakeWebSocket.last.receive(`{"type":"sum","re":"${lastId()}","data":3}`);
    await reply;
    for (const type of ['ping', 'subscribe', 'unsubscribe'])
      FakeWebSocket.last.receive(`{"type":"${type}"}`);
    expect(all).not.toHaveBeenCalled();
    expect(pong).not.toHaveBeenCalled();
    FakeWebSocket.last.receive('{"type":"chat","data":1}');
    expect(all).toHaveBeenCalledTimes(1);
  });

  it('request ids carry a 96-bit random prefix from crypto.getRandomValues', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const a = makeSocket();
    const b = makeSocket();
    FakeWebSocket.instances.forEach((ws) => {
      ws.open();
    });
    a.request('x', {}).catch(() => {});
    const idA = JSON.parse(FakeWebSocket.instances[0]!.sent[0] as string).id as string;
    b.request('x', {}).catch(() => {});
    const idB = JSON.parse(FakeWebSocket.instances[1]!.sent[0] as string).id as string;
    expect(spy).toHaveBeenCalled();
    // 16 base64url characters (96 bits), then a counter.
    expect(idA).toMatch(/^[A-Za-z0-9_-]{16}-1$/);
    expect(idB).toMatch(/^[A-Za-z0-9_-]{16}-1$/);
    expect(idA.slice(0, 16)).not.toBe(idB.slice(0, 16));
  });
});
