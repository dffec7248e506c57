/**
 * Where a socket stands in its retries, as an external store for `useSyncExternalStore`: the
 * snapshot is the socket's own `retry` (one object per scheduled retry, so a status change that
 * leaves it as it was re-renders nothing), and one pair of listeners per socket, attached only
 * while some component subscribes.
 */
import type { RetryInfo, Socket } from '@lifeline/core';

interface ReconnectStore {
  subscribe(onChange: () => void): () => void;
  get(): RetryInfo | null;
}

const stores = new WeakMap<Socket, ReconnectStore>();

function createStore(socket: Socket): ReconnectStore {
  const listeners = new Set<() => void>();
  let attached = false;
  // `reconnecting` announces a new retry, `status` the end of one: both change `socket.retry`.
  const notify = () => {
    for (const listener of [...listeners]) listener(); // a copy: one may unsubscribe meanwhile
  };
  const detachIfUnused = () => {
    if (listeners.size > 0 || !attached) return;
    attached = false;
    socket.off('status', notify);
    socket.off('reconnecting', notify);
  };
  return {
    subscribe(onChange) {
      listeners.add(onChange);
      if (!attached) {
        attached = true;
        socket.on('status', notify);
        socket.on('reconnecting', notify);
      }
      return () => {
        listeners.delete(onChange);
        // A microtask later: StrictMode's unmount and remount keep one pair of listeners.
        if (listeners.size === 0) queueMicrotask(detachIfUnused);
      };
    },
    get: () => socket.retry,
  };
}

/**
 * The shared reconnect-info store of `socket`.
 *
 * @example
 * ```ts
 * const store = reconnectInfoStore(socket);
 * const stop = store.subscribe(() => console.log(store.get()?.attempt));
 * ```
 */
export function reconnectInfoStore(socket: Socket): ReconnectStore {
  let store = stores.get(socket);
  if (!store) {
    store = createStore(socket);
    stores.set(socket, store);
  }
  return store;
}
