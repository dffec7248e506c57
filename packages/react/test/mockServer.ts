// A mock-socket server on a URL no other test uses, counting the connections the client opens.
import type { SocketOptions } from '@lifeline/core';
import { cleanup } from '@testing-library/react';
import { type Client, WebSocket as MockWebSocket, Server } from 'mock-socket';
import { afterEach } from 'vitest';

let nextPort = 41000;

export interface MockEndpoint {
  url: string;
  server: Server;
  /** Options that route the socket through mock-socket instead of a real WebSocket. */
  options: SocketOptions;
  /** WebSockets the client constructed: a socket closed before it connected counts too. */
  created(): number;
  /** Server-side sockets, in connection order. */
  connections: Client[];
  /** Sockets the server currently holds open. */
  open(): number;
  /** Sends an envelope from the server to every client. */
  broadcast(type: string, data: unknown): void;
  stop(): void;
}

export function mockEndpoint(): MockEndpoint {
  const url = `ws://127.0.0.1:${nextPort++}/ws`;
  const server = new Server(url);
  const connections: Client[] = [];
  let created = 0;
  // mock-socket connects a tick after construction, so the server never sees a socket that was
  // closed at once; counting constructions catches that second connection attempt too.
  class CountingWebSocket extends MockWebSocket {
    constructor(...args: ConstructorParameters<typeof MockWebSocket>) {
      super(...args);
      created += 1;
    }
  }
  server.on('connection', (client) => {
    connections.push(client);
  });
  return {
    url,
    server,
    options: { WebSocket: CountingWebSocket as unknown as SocketOptions['WebSocket'] },
    created: () => created,
    connections,
    open: () => server.clients().length,
    broadcast(type, data) {
      for (const client of server.clients()) client.send(JSON.stringify({ type, data }));
    },
    stop: () => server.stop(),
  };
}

/**
 * Registers an `afterEach` that unmounts, lets the registry dispose released sockets (one
 * microtask after the unmount) and stops every endpoint made; returns the endpoint factory.
 */
export function endpointsPerTest(): () => MockEndpoint {
  const made: MockEndpoint[] = [];
  afterEach(async () => {
    cleanup();
    await Promise.resolve();
    for (const endpoint of made.splice(0)) endpoint.stop();
  });
  return () => {
    const endpoint = mockEndpoint();
    made.push(endpoint);
    return endpoint;
  };
}
