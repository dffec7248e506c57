// Regression tests for the lifecycle defects of issue 12, each reproduced first: stale timers
// acting on a newer connection, a flush that a listener interrupts, events that contradict
// the status they follow, and events fired inside the constructor.
import { describe, expect, it, vi } from 'vitest';
import { Socket } from '../src/socket';
import { FakeWebSocket, FakeWS } from './support/fake-websocket';
import { makeSocket, useFakeSocketEnvironment } from './support/harness';

useFakeSocketEnvironment();

const microtasks = () => new Promise<void>((resolve) => queueMicrotask(resolve));

/** Records every event with the status at the moment it was dispatched. */
function record(socket: Socket): string[] {
  const seen: string[] = [];
  socket.on('status', (status, previous) => seen.push(`status:${previous}->${status}`));
  socket.on('open', () => seen.push(`open@${socket.status}`));
  socket.on('close', (e) => seen.push(`close:${e.code}:${e.willReconnect}@${socket.status}`));
  socket.on('reconnecting', () => seen.push(`reconnecting@${socket.status}`));
  return seen;
}

describe('close() then connect() while the close handshake is in flight', () => {
  it('keeps the new connection open: the old close timer belongs to the old connection', () => {
    const socket = makeSocket({ connectTimeout: 1000 });
    const first = FakeWebSocket.last;
    first.open();
    const seen = record(socket);
    socket.close(1000, 'bye');
    socket.connect();
    const second = FakeWebSocket.last;
    expect(second).not.toBe(first);
    second.open();
    vi.advanceTimersByTime(5000); // well past the old close timeout
    expect(socket.status).toBe('open');
    expect(second.closeCalls).toEqual([]);
    // The old connection got its close event, before the new connection's status.
    expect(seen).toEqual([
      'status:open->closing',
      'status:closing->closed',
      'close:1000:false@closed',
      'status:closed->connecting',
      'status:connecting->open',
      'open@open',
    ]);
  });

  it('ignores the old transport finishing its close afterwards', () => {
    const socket = makeSocket();
    const first = FakeWebSocket.last;
    first.open();
    socket.close();
    socket.connect();
    FakeWebSocket.last.open();
    first.finishClose();
    expect(socket.status).toBe('open');
  });

  it('lets a close listener take over: connect() from it wins over the connect() that ran it', () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    socket.close();
    let opened = 0;
    socket.once('close', () => socket.connect());
    socket.on('open', () => opened++);
    socket.connect();
    expect(FakeWebSocket.live()).toHaveLength(1);
    FakeWebSocket.last.open();
    expect(opened).toBe(1);
  });
});

describe('a listener that calls close() or reconnect() while the queue flushes', () => {
  const expiring = { queue: { maxAge: 1000 }, autoConnect: false } as const;

  it('close() from a drop listener stops the flush and keeps the rest queued', async () => {
    const socket = makeSocket(expiring);
    socket.send('stale');
    vi.advanceTimersByTime(2000);
    socket.send('a');
    socket.send('b');
    socket.on('drop', () => socket.close());
    socket.connect();
    const ws = FakeWebSocket.last;
    expect(() => ws.open()).not.toThrow();
    expect(ws.sent).toEqual([]);
    expect(socket.queued).toBe(2);
    ws.finishClose();
    expect(socket.status).toBe('closed');
    socket.connect();
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.sent).toEqual(['a', 'b']);
  });

  it('reconnect() from a drop listener sends the rest on the next connection, in order', () => {
    const socket = makeSocket(expiring);
    socket.send('stale');
    vi.advanceTimersByTime(2000);
    socket.send('a');
    socket.send('b');
    socket.once('drop', () => socket.reconnect());
    socket.connect();
    const first = FakeWebSocket.last;
    first.open();
    expect(first.sent).toEqual([]);
    const second = FakeWebSocket.last;
    expect(second).not.toBe(first);
    second.open();
    expect(second.sent).toEqual(['a', 'b']);
    expect(socket.queued).toBe(0);
  });
});

describe('listeners that change course never see events contradicting the status', () => {
  it('close() from a status listener on reconnecting: one close event, willReconnect false', async () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const seen = record(socket);
    socket.on('status', (status) => {
      if (status === 'reconnecting') socket.close();
    });
    FakeWebSocket.last.fail();
    await microtasks();
    expect(socket.status).toBe('closed');
    expect(seen.filter((e) => e.startsWith('close'))).toEqual(['close:1000:false@closed']);
    expect(seen).not.toContain('reconnecting@closing');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() from a status listener on open: no open event', () => {
    const socket = makeSocket();
    const seen = record(socket);
    const onopen = vi.fn();
    socket.onopen = onopen;
    socket.on('status', (status) => {
      if (status === 'open') socket.close();
    });
    FakeWebSocket.last.open();
    expect(socket.status).toBe('closing');
    expect(seen.filter((e) => e.startsWith('open'))).toEqual([]);
    expect(onopen).not.toHaveBeenCalled();
  });

  it('connect() from a status listener on closed: the close event says willReconnect', () => {
    const socket = makeSocket({ reconnect: false });
    FakeWebSocket.last.open();
    const seen = record(socket);
    socket.once('status', (status) => {
      if (status === 'closed') socket.connect();
    });
    FakeWebSocket.last.serverClose(1000);
    expect(socket.status).toBe('connecting');
    // The connection that opened still gets its close, worded for the new attempt under way.
    expect(seen.filter((e) => e.startsWith('close'))).toEqual(['close:1000:true@connecting']);
  });

  it('reconnect() from a status listener on reconnecting: the drop is still reported', () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const seen = record(socket);
    socket.once('status', (status) => {
      if (status === 'reconnecting') socket.reconnect();
    });
    FakeWebSocket.last.fail();
    expect(seen.filter((e) => e.startsWith('close'))).toEqual(['close:1006:true@reconnecting']);
    expect(FakeWebSocket.live()).toHaveLength(1);
  });

  it.each(['reconnect', 'close', 'dispose'] as const)(
    '%s() from a status listener on connecting leaves one attempt at most',
    (method) => {
      const socket = makeSocket({ autoConnect: false });
      socket.once('status', (status) => {
        if (status === 'connecting') socket[method]();
      });
      socket.connect();
      expect(FakeWebSocket.live().length).toBe(method === 'reconnect' ? 1 : 0);
      if (method !== 'reconnect') expect(vi.getTimerCount()).toBe(0);
    },
  );

  it('close() from a shouldReconnect policy leaves the socket closed, with no retry timer', async () => {
    const socket: Socket = makeSocket({
      reconnect: {
        shouldReconnect: () => {
          socket.close();
          return true;
        },
      },
    });
    FakeWebSocket.last.open();
    const seen = record(socket);
    FakeWebSocket.last.fail();
    await microtasks();
    expect(socket.status).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
    expect(seen).not.toContain('reconnecting@closed');
  });
});

describe('no event fires synchronously inside the constructor', () => {
  it('a throwing URL provider is reported to listeners attached after new Socket()', async () => {
    const socket = new Socket(
      () => {
        throw new Error('no token yet');
      },
      { WebSocket: FakeWS, reconnect: { jitter: 'none' } },
    );
    const errors: string[] = [];
    const closes: number[] = [];
    const retries: number[] = [];
    socket.on('error', (error) => errors.push(error.message));
    socket.on('close', (e) => closes.push(e.code));
    socket.on('reconnecting', (e) => retries.push(e.attempt));
    await microtasks();
    expect(errors).toEqual(['no token yet']);
    expect(closes).toEqual([1006]);
    expect(retries).toEqual([1]);
    socket.dispose();
  });

  it('so does an invalid URL returned by a provider', async () => {
    const socket = new Socket(() => 'ftp://example.test', { WebSocket: FakeWS, reconnect: false });
    const codes: string[] = [];
    socket.on('error', (error) => codes.push((error as { code?: string }).code ?? ''));
    await microtasks();
    expect(codes).toEqual(['ERR_INVALID_URL']);
    expect(socket.status).toBe('closed');
  });
});

describe('timers on a monotonic clock, and delays setTimeout cannot hold', () => {
  it('setting the wall clock back does not delay the heartbeat ping', () => {
    makeSocket({ heartbeat: { interval: 1000, timeout: 500 } });
    const ws = FakeWebSocket.last;
    ws.open();
    vi.setSystemTime(Date.now() - 60_000);
    vi.advanceTimersByTime(1000);
    expect(ws.sent).toEqual(['{"type":"ping"}']);
    vi.advanceTimersByTime(500);
    expect(ws.closeCalls).toEqual([[4000, 'heartbeat timeout']]);
  });

  it('setting the wall clock forward does not expire queued messages early', () => {
    const socket = makeSocket({ autoConnect: false, queue: { maxAge: 10_000 } });
    socket.send('fresh');
    vi.setSystemTime(Date.now() + 60_000);
    const drops = vi.fn();
    socket.on('drop', drops);
    socket.connect();
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.sent).toEqual(['fresh']);
    expect(drops).not.toHaveBeenCalled();
  });

  it.each([Number.POSITIVE_INFINITY, 0, 2 ** 31])(
    'connectTimeout %s means no limit, never an instant failure',
    (connectTimeout) => {
      const socket = makeSocket({ connectTimeout });
      expect(vi.getTimerCount()).toBe(0);
      vi.advanceTimersByTime(60_000);
      FakeWebSocket.last.open();
      expect(socket.status).toBe('open');
    },
  );

  it('a 30-day request timeout does not reject early', async () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const settled = vi.fn();
    socket.request('slow', {}, { timeout: 30 * 24 * 3600 * 1000 }).then(settled, settled);
    vi.advanceTimersByTime(10_000);
    await microtasks();
    expect(settled).not.toHaveBeenCalled();
    FakeWebSocket.last.receive(
      `{"type":"slow","re":"${JSON.parse(FakeWebSocket.last.sent[0] as string).id}","data":1}`,
    );
    await microtasks();
    expect(settled).toHaveBeenCalledWith(1);
  });
});
