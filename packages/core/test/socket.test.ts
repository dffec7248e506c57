// The Socket's state machine over a hand-driven FakeWebSocket, with fake timers.
import { describe, expect, it, vi } from 'vitest';
import type { LifelineError } from '../src/errors';
import { Socket } from '../src/socket';
import { FakeWebSocket, FakeWS } from './support/fake-websocket';
import { makeSocket, SOCKET_URL, useFakeSocketEnvironment } from './support/harness';

function record(socket: Socket) {
  const events: string[] = [];
  socket.on('status', (s, p) => events.push(`status:${p}->${s}`));
  socket.on('open', (e) => events.push(`open:${e.attempt}:${e.reconnected}`));
  socket.on('close', (e) => events.push(`close:${e.code}:${e.wasClean}:${e.willReconnect}`));
  socket.on('reconnecting', (e) => events.push(`reconnecting:${e.attempt}:${e.delay}`));
  socket.on('giveup', (e) => events.push(`giveup:${e.attempts}:${e.lastClose?.code}`));
  socket.on('error', (e) => events.push(`error:${(e as LifelineError).code ?? 'transport'}`));
  return events;
}

useFakeSocketEnvironment();

describe('connecting and the native surface', () => {
  it('connects on construction, reports status and readyState like a WebSocket', () => {
    const socket = makeSocket();
    const events = record(socket);
    expect(socket.status).toBe('connecting');
    expect(socket.readyState).toBe(Socket.CONNECTING);
    expect(FakeWebSocket.last.url).toBe(SOCKET_URL);
    FakeWebSocket.last.open('chat.v1');
    expect(socket.status).toBe('open');
    expect(socket.readyState).toBe(socket.OPEN);
    expect(socket.protocol).toBe('chat.v1');
    expect(socket.url).toBe(SOCKET_URL);
    expect(events).toEqual(['status:connecting->open', 'open:0:false']);
    expect([Socket.CONNECTING, Socket.OPEN, Socket.CLOSING, Socket.CLOSED]).toEqual([0, 1, 2, 3]);
    expect([socket.CONNECTING, socket.OPEN, socket.CLOSING, socket.CLOSED]).toEqual([0, 1, 2, 3]);
  });

  it('autoConnect: false stays idle (readyState CLOSED) until connect()', () => {
    const socket = makeSocket({ autoConnect: false });
    expect(socket.status).toBe('idle');
    expect(socket.readyState).toBe(3);
    expect(FakeWebSocket.instances).toHaveLength(0);
    socket.connect();
    expect(FakeWebSocket.instances).toHaveLength(1);
    socket.connect(); // already connecting: no second socket
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('fires onopen/onmessage/onclose/onerror and addEventListener listeners with native-shaped events', () => {
    const socket = makeSocket({ reconnect: false, protocols: ['a', 'b'] });
    const seen: string[] = [];
    socket.onopen = (e) => seen.push(`onopen:${e.type}`);
    socket.onmessage = (e) => seen.push(`onmessage:${e.data}`);
    socket.onclose = (e) => seen.push(`onclose:${e.code}:${e.reason}:${e.wasClean}`);
    const listener = (e: Event) => seen.push(`listener:${e.type}`);
    socket.addEventListener('message', listener);
    socket.addEventListener('open', { handleEvent: (e: Event) => seen.push(`object:${e.type}`) });
    socket.addEventListener('close', listener, { once: true });
    expect(FakeWebSocket.last.protocols).toEqual(['a', 'b']);
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive('hello');
    socket.removeEventListener('message', listener);
    FakeWebSocket.last.receive('again');
    FakeWebSocket.last.serverClose(1000, 'bye');
    expect(seen).toEqual([
      'object:open',
      'onopen:open',
      'listener:message',
      'onmessage:hello',
      'onmessage:again',
      'listener:close',
      'onclose:1000:bye:true',
    ]);
  });

  it('onerror receives an event carrying the LifelineError', async () => {
    const socket = makeSocket({ url: undefined } as never);
    socket.close();
    const errors: unknown[] = [];
    const s2 = new Socket(() => 'ftp://nope', { WebSocket: FakeWS, reconnect: false });
    s2.onerror = (e) => errors.push(e);
    s2.addEventListener('error', (e) => errors.push(e));
    s2.connect();
    expect(errors).toHaveLength(0); // reported a microtask later, like every failed attempt
    await Promise.resolve();
    expect(errors).toHaveLength(2);
    const event = errors[0] as { type: string; error: LifelineError };
    expect(event.type).toBe('error');
    expect(event.error.code).toBe('ERR_INVALID_URL');
    expect(s2.status).toBe('closed');
  });

  it('binaryType is applied to every underlying socket', () => {
    const socket = makeSocket({ binaryType: 'arraybuffer' });
    expect(FakeWebSocket.last.binaryType).toBe('arraybuffer');
    socket.binaryType = 'blob';
    expect(FakeWebSocket.last.binaryType).toBe('blob');
    FakeWebSocket.last.fail();
    vi.advanceTimersByTime(1000);
    expect(FakeWebSocket.last.binaryType).toBe('blob');
  });

  it('throws ERR_INVALID_URL synchronously for a bad static URL', () => {
    expect(() => new Socket('ftp://x', { WebSocket: FakeWS })).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_URL' }),
    );
  });

  it('throws ERR_NO_WEBSOCKET when there is no constructor', () => {
    vi.stubGlobal('WebSocket', undefined);
    try {
      expect(() => new Socket(SOCKET_URL)).toThrowError(
        expect.objectContaining({ code: 'ERR_NO_WEBSOCKET' }),
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('reconnection', () => {
  it('reconnects after an unclean close with the backoff delay, then reports reconnected', () => {
    const socket = makeSocket();
    const events = record(socket);
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail();
    expect(socket.status).toBe('reconnecting');
    expect(socket.readyState).toBe(0);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(999);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.last.open();
    expect(events).toEqual([
      'status:connecting->open',
      'open:0:false',
      'error:transport', // like the native socket: error, then close
      'status:open->reconnecting',
      'close:1006:false:true',
      'reconnecting:1:1000',
      'status:reconnecting->open',
      'open:1:true',
    ]);
  });

  it('grows the delay per failed attempt and resets it after staying open resetAfter ms', () => {
    const socket = makeSocket();
    const delays: number[] = [];
    socket.on('reconnecting', (e) => delays.push(e.delay));
    FakeWebSocket.last.fail(); // initial attempt failed
    for (let i = 0; i < 3; i++) {
      vi.advanceTimersByTime(delays.at(-1)!);
      FakeWebSocket.last.fail();
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
    vi.advanceTimersByTime(8000);
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail(); // dropped quickly: the count goes on
    expect(delays.at(-1)).toBe(16000);
    vi.advanceTimersByTime(16000);
    FakeWebSocket.last.open();
    vi.advanceTimersByTime(5000); // stable for resetAfter
    FakeWebSocket.last.fail();
    expect(delays.at(-1)).toBe(1000);
    socket.dispose();
  });

  it.each([1000, 1002, 1003, 1007, 1008, 1009, 1010, 4001])(
    'goes to closed after server code %i',
    (code) => {
      const socket = makeSocket();
      const events = record(socket);
      FakeWebSocket.last.open();
      FakeWebSocket.last.serverClose(code);
      expect(socket.status).toBe('closed');
      expect(events.slice(-2)).toEqual(['status:open->closed', `close:${code}:true:false`]);
      vi.advanceTimersByTime(60000);
      expect(FakeWebSocket.instances).toHaveLength(1);
    },
  );

  it.each([1001, 1011, 1012, 1013, 1014])('reconnects after server code %i', (code) => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    FakeWebSocket.last.serverClose(code);
    expect(socket.status).toBe('reconnecting');
    vi.advanceTimersByTime(1000);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('shouldReconnect overrides the policy (and a throwing one means no)', () => {
    const seen: number[] = [];
    const socket = makeSocket({
      reconnect: {
        jitter: 'none',
        shouldReconnect: (c) => {
          seen.push(c.code);
          return c.code === 4001;
        },
      },
    });
    FakeWebSocket.last.open();
    FakeWebSocket.last.serverClose(4001);
    expect(socket.status).toBe('reconnecting');
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.open();
    FakeWebSocket.last.serverClose(1012);
    expect(socket.status).toBe('closed');
    expect(seen).toEqual([4001, 1012]);

    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    const throwing = makeSocket({
      reconnect: {
        shouldReconnect: () => {
          throw new Error('policy bug');
        },
      },
    });
    FakeWebSocket.last.fail();
    expect(throwing.status).toBe('closed');
    expect(reported).toHaveBeenCalledWith(expect.objectContaining({ message: 'policy bug' }));
    vi.unstubAllGlobals();
  });

  it('reconnect: false never retries', () => {
    const socket = makeSocket({ reconnect: false });
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail();
    expect(socket.status).toBe('closed');
  });

  it('gives up after maxAttempts with giveup {attempts, lastClose}', () => {
    const socket = makeSocket({ reconnect: { maxAttempts: 2, jitter: 'none' } });
    const events = record(socket);
    FakeWebSocket.last.fail();
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.fail();
    vi.advanceTimersByTime(2000);
    FakeWebSocket.last.fail();
    expect(socket.status).toBe('closed');
    expect(events.filter((e) => !e.startsWith('status') && e !== 'error:transport')).toEqual([
      'close:1006:false:true',
      'reconnecting:1:1000',
      'close:1006:false:true',
      'reconnecting:2:2000',
      'close:1006:false:false',
      'giveup:2:1006',
    ]);
    expect(events.filter((e) => e === 'error:transport')).toHaveLength(3);
    expect(FakeWebSocket.instances).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fails an attempt that stays CONNECTING longer than connectTimeout', () => {
    const socket = makeSocket({ connectTimeout: 3000 });
    const events = record(socket);
    vi.advanceTimersByTime(2999);
    expect(socket.status).toBe('connecting');
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances[0]!.closeCalls).toHaveLength(1);
    expect(events).toEqual([
      'status:connecting->reconnecting',
      'close:1006:false:true',
      'reconnecting:1:1000',
    ]);
  });

  it('reconnect() drops the connection and reconnects at once with a fresh count', () => {
    const socket = makeSocket();
    const events = record(socket);
    FakeWebSocket.last.open();
    socket.reconnect();
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(FakeWebSocket.instances[0]!.closeCalls).toEqual([[1000, 'reconnect']]);
    FakeWebSocket.last.open();
    expect(events).toEqual([
      'status:connecting->open',
      'open:0:false',
      'status:open->reconnecting',
      'close:1000:true:true',
      'status:reconnecting->open',
      'open:0:true',
    ]);
    // From a backoff wait, it skips the wait.
    FakeWebSocket.last.fail();
    socket.reconnect();
    expect(FakeWebSocket.instances).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(1); // just the connect timeout of the new attempt
  });
});

describe('close, connect and dispose', () => {
  it('close() waits for the close handshake, then is closed for good', () => {
    const socket = makeSocket();
    const events = record(socket);
    FakeWebSocket.last.open();
    socket.close(4100, 'done');
    expect(socket.status).toBe('closing');
    expect(socket.readyState).toBe(2);
    expect(FakeWebSocket.last.closeCalls).toEqual([[4100, 'done']]);
    FakeWebSocket.last.finishClose();
    expect(socket.status).toBe('closed');
    expect(events.slice(-3)).toEqual([
      'status:open->closing',
      'status:closing->closed',
      'close:4100:true:false',
    ]);
    vi.advanceTimersByTime(100000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() gives up on a peer that never answers the close frame after connectTimeout', () => {
    const socket = makeSocket({ connectTimeout: 2000 });
    const events = record(socket);
    FakeWebSocket.last.open();
    socket.close(1000, 'bye');
    vi.advanceTimersByTime(1999);
    expect(socket.status).toBe('closing');
    vi.advanceTimersByTime(1);
    expect(socket.status).toBe('closed');
    expect(events.slice(-2)).toEqual(['status:closing->closed', 'close:1006:false:false']);
    expect(FakeWebSocket.live()).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() during a backoff wait cancels the retry', async () => {
    const socket = makeSocket();
    FakeWebSocket.last.fail();
    expect(vi.getTimerCount()).toBe(1);
    socket.close();
    expect(vi.getTimerCount()).toBe(0);
    // Like the native socket, the close event never fires inside close().
    expect(socket.status).toBe('closing');
    await Promise.resolve();
    expect(socket.status).toBe('closed');
  });

  it.each([
    [999, ''],
    [1001, ''],
    [1006, ''],
    [2999, ''],
    [5000, ''],
    [2999.4, ''],
    [Number.NaN, ''],
    [1000, 'x'.repeat(124)],
    [1000, 'é'.repeat(62)],
  ])('close(%i, reason) throws ERR_INVALID_CLOSE_CODE', (code, reason) => {
    const socket = makeSocket();
    expect(() => socket.close(code, reason)).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_CLOSE_CODE' }),
    );
    expect(socket.status).toBe('connecting');
  });

  it('connect() after close() starts over, keeping the queue', () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    socket.close();
    FakeWebSocket.last.finishClose();
    expect(socket.send('later')).toBe('queued');
    socket.connect();
    expect(socket.status).toBe('connecting');
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.sent).toEqual(['later']);
  });

  it('dispose() closes, removes every listener and leaves no timer', () => {
    const socket = makeSocket({ heartbeat: true });
    const onStatus = vi.fn();
    socket.on('status', onStatus);
    FakeWebSocket.last.open();
    expect(vi.getTimerCount()).toBeGreaterThan(0); // heartbeat + wake watchdog
    socket.dispose();
    expect(socket.status).toBe('closed');
    expect(onStatus).toHaveBeenLastCalledWith('closed', 'open');
    expect(vi.getTimerCount()).toBe(0);
    expect(socket.eventNames()).toEqual([]);
    expect(FakeWebSocket.live()).toHaveLength(0);
    expect(() => socket.connect()).toThrowError(expect.objectContaining({ code: 'ERR_CLOSED' }));
    expect(() => socket.send('x')).toThrowError(expect.objectContaining({ code: 'ERR_CLOSED' }));
    socket.dispose(); // idempotent
  });

  it('a listener that throws neither stops the others nor breaks the transition', () => {
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    const socket = makeSocket();
    const after = vi.fn();
    socket.on('open', () => {
      throw new Error('user bug');
    });
    socket.on('open', after);
    FakeWebSocket.last.open();
    expect(after).toHaveBeenCalledTimes(1);
    expect(socket.status).toBe('open');
    expect(reported).toHaveBeenCalledWith(expect.objectContaining({ message: 'user bug' }));
    vi.unstubAllGlobals();
  });

  it('listeners that remove themselves while running do not skip others', () => {
    const socket = makeSocket();
    const calls: string[] = [];
    const a = () => {
      calls.push('a');
      socket.off('open', a);
    };
    socket.on('open', a);
    socket.once('open', () => calls.push('once'));
    socket.on('open', () => calls.push('c'));
    FakeWebSocket.last.open();
    socket.reconnect();
    FakeWebSocket.last.open();
    expect(calls).toEqual(['a', 'once', 'c', 'c']);
  });
});

describe('the queue', () => {
  it('queues while not open, flushes in order before later sends, and counts bytes', () => {
    const socket = makeSocket();
    expect(socket.send('one')).toBe('queued');
    expect(socket.send(new Uint8Array(5))).toBe('queued');
    expect(socket.queued).toBe(2);
    expect(socket.bufferedAmount).toBe(8);
    socket.on('open', () => socket.send('from-open-listener'));
    FakeWebSocket.last.open();
    expect(socket.send('after')).toBe('sent');
    expect(FakeWebSocket.last.sent).toEqual([
      'one',
      new Uint8Array(5),
      'from-open-listener',
      'after',
    ]);
    expect(socket.queued).toBe(0);
  });

  it('survives reconnects and emits drop on overflow and expiry', () => {
    const socket = makeSocket({ queue: { maxMessages: 2, maxAge: 5000 } });
    const drops: string[] = [];
    socket.on('drop', (e) => drops.push(`${e.data}:${e.reason}`));
    FakeWebSocket.last.fail();
    socket.send('a');
    socket.send('b');
    expect(socket.send('c')).toBe('queued');
    expect(drops).toEqual(['a:overflow']);
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.fail();
    vi.advanceTimersByTime(4500); // b and c are now 5500 ms old
    socket.send('d');
    FakeWebSocket.last.open();
    expect(drops).toEqual(['a:overflow', 'b:expired', 'c:expired']);
    expect(FakeWebSocket.last.sent).toEqual(['d']);
  });

  it('queue: false throws ERR_NOT_OPEN; overflow "error" throws ERR_QUEUE_FULL', () => {
    const noQueue = makeSocket({ queue: false });
    expect(() => noQueue.send('x')).toThrowError(expect.objectContaining({ code: 'ERR_NOT_OPEN' }));
    const strict = makeSocket({ queue: { maxMessages: 1, overflow: 'error' } });
    strict.send('1');
    expect(() => strict.send('2')).toThrowError(
      expect.objectContaining({ code: 'ERR_QUEUE_FULL' }),
    );
  });

  it('clearQueue() empties it', () => {
    const socket = makeSocket();
    socket.send('a');
    socket.clearQueue();
    expect(socket.queued).toBe(0);
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.sent).toEqual([]);
  });

  it('never sends into a transport that is already closing', () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    FakeWebSocket.last.readyState = 2; // server started closing; close event not here yet
    expect(socket.send('x')).toBe('queued');
  });
});
