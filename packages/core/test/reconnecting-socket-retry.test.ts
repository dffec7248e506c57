// `socket.retry`: the retry in progress, readable at any moment (the adapters' "reconnecting in
// 3 s" reads it), and always announced by `reconnecting` or `status`.
import { describe, expect, it, vi } from 'vitest';
import { ReconnectingSocket } from '../src/reconnecting-socket';
import { FakeWebSocket, FakeWS } from './support/fake-websocket';
import { useFakeSocketEnvironment } from './support/harness';

useFakeSocketEnvironment();

const make = (options = {}) =>
  new ReconnectingSocket('wss://example.test/ws', {
    WebSocket: FakeWS,
    reconnect: { jitter: 'none', initialDelay: 1000, factor: 2 },
    ...options,
  });

describe('ReconnectingSocket.retry', () => {
  it('is null until a retry is scheduled, then holds its attempt, delay and due time', () => {
    const socket = make();
    expect(socket.retry).toBeNull(); // connecting: a first attempt is no retry
    FakeWebSocket.last.open();
    expect(socket.retry).toBeNull();
    FakeWebSocket.last.fail();
    const retry = socket.retry;
    expect(retry).toMatchObject({ attempt: 1, delay: 1000 });
    // On the monotonic clock the socket's timers use.
    expect(retry!.retryAt - performance.now()).toBe(1000);
    expect(socket.retry).toBe(retry); // one object per scheduled retry
    socket.dispose();
  });

  it('agrees with the reconnecting event, and status listeners already see it', () => {
    const socket = make();
    const seen: unknown[] = [];
    socket.on('status', (status) => seen.push(['status', status, socket.retry?.attempt ?? null]));
    socket.on('reconnecting', (event) => seen.push(['reconnecting', event, socket.retry]));
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail();
    expect(seen).toEqual([
      ['status', 'open', null],
      ['status', 'reconnecting', 1],
      ['reconnecting', { attempt: 1, delay: 1000 }, expect.objectContaining({ attempt: 1 })],
    ]);
    socket.dispose();
  });

  it('stays through the attempt the wait starts, counts up, and clears on open', () => {
    const socket = make();
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail();
    vi.advanceTimersByTime(1000); // the retry is in flight
    expect(socket.retry).toMatchObject({ attempt: 1, delay: 1000 });
    FakeWebSocket.last.fail();
    expect(socket.retry).toMatchObject({ attempt: 2, delay: 2000 });
    vi.advanceTimersByTime(2000);
    FakeWebSocket.last.open();
    expect(socket.status).toBe('open');
    expect(socket.retry).toBeNull();
    socket.dispose();
  });

  it('is null after close(), after giving up, and after reconnect() from a wait', () => {
    const closed = make();
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail();
    closed.close();
    expect(closed.retry).toBeNull();
    closed.dispose();

    const givingUp = make({ reconnect: { jitter: 'none', maxAttempts: 1 } });
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail();
    expect(givingUp.retry).toMatchObject({ attempt: 1 });
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.fail();
    expect(givingUp.status).toBe('closed');
    expect(givingUp.retry).toBeNull();
    givingUp.dispose();

    const restarted = make();
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail();
    restarted.reconnect(); // an attempt at once, not a scheduled retry
    expect(restarted.status).toBe('reconnecting');
    expect(restarted.retry).toBeNull();
    restarted.dispose();
  });

  it('is null while reconnect() from open makes its immediate attempt', () => {
    const socket = make();
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail();
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.open(); // an earlier retry, then open
    socket.reconnect();
    expect(socket.status).toBe('reconnecting');
    expect(socket.retry).toBeNull();
    socket.dispose();
  });
});
