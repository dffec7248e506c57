// Helpers for the Svelte stores' unit tests: mock-socket servers that are always stopped, one
// that speaks the stream half of the protocol, and a count of what listens on a socket.
import type { Socket } from '@lifeline/core';
import { type Client, WebSocket as MockWebSocket, Server } from 'mock-socket';
import { vi } from 'vitest';

/** Pass as the `WebSocket` option so sockets talk to mock-socket servers. */
export const WebSocket = MockWebSocket as unknown as typeof globalThis.WebSocket;

const servers: Server[] = [];

/** A mock server on `url`; `stopServers()` stops every one made so far. */
export function mockServer(url: string): Server {
  const server = new Server(url);
  servers.push(server);
  return server;
}

export function stopServers(): void {
  for (const server of servers.splice(0)) server.stop();
}

/** Lets mock-socket's 4 ms delays, and the stores' deferred stops, run under fake timers. */
export const settle = () => vi.advanceTimersByTimeAsync(20);

/**
 * Everything listening on `socket`: its emitter's listeners by event, plus `onMessage`
 * handlers by type (core keeps those in `_handlers`, which only exists unminified, as here).
 */
export function listeners(socket: Socket): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of socket.eventNames()) counts[String(name)] = socket.listenerCount(name);
  const handlers = (socket as unknown as { _handlers?: Map<string, Set<unknown>> })._handlers;
  for (const [type, set] of handlers ?? []) counts[`onMessage:${type}`] = set.size;
  return counts;
}

/** A decoded frame a client sent. */
export interface Frame {
  type: string;
  id?: string;
  data?: { stream?: string };
}

/**
 * A server that answers every subscribe with epoch `e1` and the stream's head, records the
 * frames clients send, and publishes to the clients subscribed.
 */
export function streamServer(url: string) {
  const server = mockServer(url);
  const frames: Frame[] = [];
  const heads = new Map<string, number>();
  const members = new Map<Client, Set<string>>();
  server.on('connection', (client) => {
    const streams = new Set<string>();
    members.set(client, streams);
    client.on('close', () => members.delete(client));
    client.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as Frame;
      frames.push(frame);
      const stream = frame.data?.stream;
      if (stream === undefined) return;
      if (frame.type === 'unsubscribe') streams.delete(stream);
      if (frame.type !== 'subscribe') return;
      streams.add(stream);
      const seq = String(heads.get(stream) ?? 0);
      client.send(
        JSON.stringify({
          type: 'subscribe',
          re: frame.id,
          data: { epoch: 'e1', seq, recovered: true },
        }),
      );
    });
  });
  return {
    server,
    frames,
    /** Clients subscribed to `stream` now. */
    subscribers: (stream: string) => [...members.values()].filter((s) => s.has(stream)).length,
    publish(stream: string, type: string, data: unknown): void {
      const seq = (heads.get(stream) ?? 0) + 1;
      heads.set(stream, seq);
      const frame = JSON.stringify({ type, stream, epoch: 'e1', seq: String(seq), data });
      for (const [client, streams] of members) if (streams.has(stream)) client.send(frame);
    },
  };
}
