import type { Socket } from '@lifeline/core';
import type { SocketStore } from './socketStore';

/** Where `messageStore` and `subscriptionStore` find their socket. */
export type SocketSource<S extends Socket = Socket> = S | SocketStore<S>;

/** Whether `value` is a Lifeline socket (duck-typed, so two copies of core still interoperate). */
export function isSocket(value: unknown): value is Socket {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof URL) &&
    typeof (value as Socket).onMessage === 'function' &&
    typeof (value as Socket).subscribe === 'function' &&
    typeof (value as Socket).sendJson === 'function'
  );
}

/**
 * Runs `use(socket)` with the socket of `source`, and returns what undoes it. A socket store is
 * subscribed to for as long, which keeps its socket alive (it creates the socket on its first
 * subscriber); during server rendering it has none, and `use` is not called.
 */
export function withSocket<S extends Socket>(
  source: SocketSource<S>,
  use: (socket: S) => () => void,
): () => void {
  if (isSocket(source)) return use(source);
  const release = source.subscribe(() => {});
  const socket = source.socket;
  const done = socket ? use(socket) : undefined;
  return () => {
    done?.();
    release();
  };
}
