// A fake server (@lifeline/testing) on a URL no other test uses, with the few questions the
// hook tests ask it. A fresh URL each time matters: `useSocket` shares sockets by URL and
// options. Imported by path: the React 18 project resolves `@lifeline/testing` by its alias.
import type { SocketOptions } from '@lifeline/core';
import { createTestServer, type TestConnection, type TestServer } from '@lifeline/testing';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

let nextId = 1;

export interface Endpoint {
  url: string;
  server: TestServer;
  /** Options that connect a socket to this server. */
  options: SocketOptions;
  /** WebSockets the client constructed: a socket closed before it connected counts too. */
  created(): number;
  /** Connections the server accepted, in order (closed ones stay). */
  connections: TestConnection[];
  /** Connections open right now. */
  open(): number;
  /** Sends an envelope from the server to every open connection. */
  broadcast(type: string, data: unknown): void;
  stop(): void;
}

export function fakeEndpoint(): Endpoint {
  const url = `ws://endpoint-${nextId++}.test/ws`;
  const server = createTestServer({ url });
  return {
    url,
    server,
    options: { WebSocket: server.WebSocket },
    // The kit counts every construction, even one closed before its handshake ran.
    created: () => server.attempts,
    connections: server.connections,
    open: () => server.open.length,
    broadcast: (type, data) => void server.send(type, data),
    stop: () => server.stop(),
  };
}

/**
 * Registers an `afterEach` that unmounts, lets the registry dispose released sockets (one
 * microtask after the unmount) and stops every endpoint made; returns the endpoint factory.
 */
export function endpointsPerTest(): () => Endpoint {
  const made: Endpoint[] = [];
  afterEach(async () => {
    cleanup();
    await Promise.resolve();
    for (const endpoint of made.splice(0)) endpoint.stop();
  });
  return () => {
    const endpoint = fakeEndpoint();
    made.push(endpoint);
    return endpoint;
  };
}
