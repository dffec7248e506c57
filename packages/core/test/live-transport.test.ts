// `send` makes one check: the transport held in `_live` is set only while the status is `open`
// (plus the transport's own readyState). These tests hold that field to its invariant on every
// way into and out of `open`, so a stale transport can never take a frame meant for the queue.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReconnectingSocket } from '../src/reconnecting-socket';
import { Socket } from '../src/socket';
import { FakeWebSocket, FakeWS } from './support/fake-websocket';
import { useFakeSocketEnvironment } from './support/harness';

useFakeSocketEnvironment();

interface Internals {
  _live: unknown;
  _ws: unknown;
}
const internals = (socket: ReconnectingSocket) => socket as unknown as Internals;

/** Fails the test unless `_live` is the transport exactly while the status is `open`. */
function expectInvariant(socket: ReconnectingSocket): void {
  const { _live, _ws } = internals(socket);
  if (socket.status === 'open') {
    expect(_ws).toBeDefined();
    expect(_live).toBe(_ws);
  } else expect(_live).toBeUndefined();
}

const sockets: ReconnectingSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.dispose();
});

/** A socket that checks the invariant at every status change (listeners run after the change). */
function make(kind: 'reconnecting' | 'socket' = 'reconnecting', options = {}) {
  const Class = kind === 'socket' ? Socket : ReconnectingSocket;
  const socket = new Class('wss://example.test/ws', {
    WebSocket: FakeWS,
    reconnect: { jitter: 'none' },
    ...options,
  });
  sockets.push(socket);
  const statuses: string[] = [];
  socket.on('status', (status) => {
    statuses.push(status);
    expectInvariant(socket);
  });
  return { socket, statuses };
}

describe('the transport send uses (`_live`)', () => {
  it.each(['reconnecting', 'socket'] as const)(
    'is set on open and cleared by close() (%s)',
    (kind) => {
      const { socket, statuses } = make(kind);
      expectInvariant(socket);
      FakeWebSocket.last.open();
      expect(internals(socket)._live).toBe(FakeWebSocket.last);
      expect(socket.send('a')).toBe('sent');
      socket.close();
      expectInvariant(socket);
      FakeWebSocket.last.finishClose();
      expect(statuses).toEqual(['open', 'closing', 'closed']);
      expectInvariant(socket);
    },
  );

  it('is cleared when the connection drops, and set again on the next open', () => {
    const { socket, statuses } = make();
    FakeWebSocket.last.open();
    const first = FakeWebSocket.last;
    first.fail();
    expectInvariant(socket);
    expect(socket.send('b')).toBe('queued');
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last).not.toBe(first);
    expect(internals(socket)._live).toBe(FakeWebSocket.last);
    expect(FakeWebSocket.last.sent).toEqual(['b']);
    expect(statuses).toEqual(['open', 'reconnecting', 'open']);
  });

  it('is already cleared while shouldReconnect runs, before the status leaves open', () => {
    let seen: { status: string; live: unknown } | undefined;
    const { socket } = make('reconnecting', {
      reconnect: {
        jitter: 'none',
        shouldReconnect: () => {
          seen = { status: socket.status, live: internals(socket)._live };
          return true;
        },
      },
    });
    FakeWebSocket.last.open();
    FakeWebSocket.last.serverClose(1012, 'restart');
    expect(seen).toEqual({ status: 'open', live: undefined });
  });

  it('is cleared by reconnect() and dispose()', () => {
    const { socket, statuses } = make();
    FakeWebSocket.last.open();
    socket.reconnect();
    expectInvariant(socket);
    FakeWebSocket.last.open();
    expectInvariant(socket);
    socket.dispose();
    expectInvariant(socket);
    expect(statuses).toEqual(['open', 'reconnecting', 'open', 'closed']);
  });

  it('is cleared when a wake makes the socket start over', () => {
    const { socket, statuses } = make();
    FakeWebSocket.last.open();
    document.dispatchEvent(new Event('resume'));
    expectInvariant(socket);
    expect(statuses).toEqual(['open', 'reconnecting']);
  });

  it('queues, once closing, even on a transport that still reads OPEN', () => {
    const { socket } = make();
    FakeWebSocket.last.open();
    const ws = FakeWebSocket.last;
    socket.close();
    ws.readyState = 1; // a transport slow to report CLOSING
    expect(socket.send('late')).toBe('queued');
    expect(ws.sent).toEqual([]);
  });

  it('is cleared when an open listener closes at once', () => {
    const { socket, statuses } = make();
    socket.on('open', () => socket.close());
    FakeWebSocket.last.open();
    expectInvariant(socket);
    expect(statuses).toEqual(['open', 'closing']);
    expect(socket.send('x')).toBe('queued');
  });
});
