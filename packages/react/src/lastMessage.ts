/**
 * The most recent envelope a socket received, as an external store for
 * `useSyncExternalStore`. One store per socket (not per component), listening to the socket
 * only while some component subscribes, so every reader sees the same value. It reads
 * `onMessage('*')`, so it gets what `onMessage` handlers get: no request replies and no protocol
 * frames (heartbeat pongs, stream control), which core keeps to itself.
 */
import type { Envelope, Socket } from '@lifeline/core';

interface LastMessageStore {
  subscribe(onChange: () => void): () => void;
  get(): Envelope | undefined;
}

const stores = new WeakMap<Socket, LastMessageStore>();

function createStore(socket: Socket): LastMessageStore {
  const listeners = new Set<() => void>();
  let last: Envelope | undefined;
  let detach: (() => void) | undefined;
  const onEnvelope = (envelope: Envelope) => {
    last = envelope;
    // A copy: a listener may unsubscribe while we iterate.
    for (const listener of [...listeners]) listener();
  };
  return {
    subscribe(onChange) {
      listeners.add(onChange);
      detach ??= socket.onMessage('*', onEnvelope);
      return () => {
        listeners.delete(onChange);
        if (listeners.size === 0 && detach) {
          detach();
          detach = undefined;
        }
      };
    },
    get: () => last,
  };
}

/**
 * The shared last-message store of `socket`.
 *
 * @example
 * ```ts
 * const store = lastMessageStore(socket);
 * const stop = store.subscribe(() => console.log(store.get()));
 * ```
 */
export function lastMessageStore(socket: Socket): LastMessageStore {
  let store = stores.get(socket);
  if (!store) {
    store = createStore(socket);
    stores.set(socket, store);
  }
  return store;
}
