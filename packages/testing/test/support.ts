// Per-test environment for the kit's own tests: fake timers, and every socket and server made
// in a test disposed after it, with no timer left behind.
import { Socket, type SocketOptions } from '@lifeline/core';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { createTestServer, type TestServer, type TestServerOptions } from '../src';

export interface Kit {
  server(options?: TestServerOptions): TestServer;
  /** A Socket on `server` with jitter off (delays are exactly 1 s, 2 s, 4 s, …). */
  socket(server: TestServer, options?: SocketOptions): Socket;
}

export function useKit(): Kit {
  const sockets: Socket[] = [];
  const servers: TestServer[] = [];
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.dispose();
    for (const server of servers.splice(0)) server.stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
  });
  return {
    server(options) {
      const server = createTestServer(options);
      servers.push(server);
      return server;
    },
    socket(server, options = {}) {
      const socket = new Socket('ws://app.test/ws', {
        WebSocket: server.WebSocket,
        reconnect: { jitter: 'none' },
        ...options,
      });
      sockets.push(socket);
      return socket;
    },
  };
}
