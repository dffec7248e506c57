// The unit suites' Socket factory and per-test environment: a FakeWebSocket transport,
// no reconnect jitter, fake timers, and every socket disposed after its test.
import { afterEach, beforeEach, vi } from 'vitest';
import type { SocketOptions } from '../../src/messaging-options';
import { Socket } from '../../src/socket';
import { FakeWebSocket, FakeWS } from './fake-websocket';

export const SOCKET_URL = 'wss://example.test/ws';

const sockets: Socket[] = [];

/** A Socket over FakeWS with jitter off, disposed after the current test. */
export function makeSocket(options: SocketOptions = {}): Socket {
  const socket = new Socket(SOCKET_URL, {
    WebSocket: FakeWS,
    reconnect: { jitter: 'none' },
    ...options,
  });
  sockets.push(socket);
  return socket;
}

/** Registers the hooks: fresh FakeWebSocket and fake timers before, cleanup after each test. */
export function useFakeSocketEnvironment(): void {
  beforeEach(() => {
    FakeWebSocket.reset();
    vi.useFakeTimers();
  });
  afterEach(() => {
    // Sockets of earlier tests must not react to later tests' online/visibility events.
    for (const socket of sockets.splice(0)) socket.dispose();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });
}

/**
 * Disposes, after each test, every socket passed to the function it returns (for tests that
 * make their own sockets): `const made = disposedAfterEach(); made(new Socket(url))`.
 */
export function disposedAfterEach(): <S extends { dispose(): void }>(socket: S) => S {
  const made: Array<{ dispose(): void }> = [];
  afterEach(() => {
    for (const socket of made.splice(0)) socket.dispose();
  });
  return (socket) => {
    made.push(socket);
    return socket;
  };
}
