// Helpers for the Svelte stores' unit tests: @lifeline/testing's fake server (it speaks the
// whole protocol, streams included, with no network and on fake timers), stopped after each
// test, and a count of what listens on a socket.
import type { Socket } from '@lifeline/core';
import { createTestServer, type TestServer } from '@lifeline/testing';

const servers: TestServer[] = [];

/** A fake server; `stopServers()` stops every one made so far. */
export function fakeServer(): TestServer {
  const server = createTestServer();
  servers.push(server);
  return server;
}

export function stopServers(): void {
  for (const server of servers.splice(0)) server.stop();
}

/** How many open connections of `server` are subscribed to `stream`. */
export const subscribers = (server: TestServer, stream: string): number =>
  server.open.filter((connection) => connection.subscriptions.has(stream)).length;

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
