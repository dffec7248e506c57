/**
 * Where a socket stands in its retries, as an external store for `useSyncExternalStore`: one
 * store per socket, listening only while some component subscribes, and one snapshot object
 * until the info changes (a status change that leaves it as it was re-renders nothing).
 */
import type { ReconnectingEvent, Socket, Status } from '@lifeline/core';

/**
 * What {@link useReconnectInfo} returns, for a UI that shows "reconnecting in 3 s". Outside the
 * `reconnecting` status it is always {@link NOT_RECONNECTING}.
 */
export interface ReconnectInfo {
  /** The retry scheduled or in flight (1-based); 0 when not reconnecting. */
  readonly attempt: number;
  /** The backoff wait, in ms, before that retry; `undefined` when not reconnecting. */
  readonly delay: number | undefined;
  /**
   * When that retry starts, as a `Date.now()` timestamp (so `retryAt - Date.now()` is the
   * countdown); `undefined` when not reconnecting. Coming back online or a page turning visible
   * retries sooner; while the device is offline no retry starts, and this stays in the past.
   */
  readonly retryAt: number | undefined;
}

/** The one value meaning "no retry pending" (compare with `===`). */
export const NOT_RECONNECTING: ReconnectInfo = Object.freeze({
  attempt: 0,
  delay: undefined,
  retryAt: undefined,
});

interface ReconnectStore {
  subscribe(onChange: () => void): () => void;
  get(): ReconnectInfo;
}

const stores = new WeakMap<Socket, ReconnectStore>();

function createStore(socket: Socket): ReconnectStore {
  const listeners = new Set<() => void>();
  let info = NOT_RECONNECTING;
  let attached = false;
  const change = (next: ReconnectInfo) => {
    if (next === info) return;
    info = next;
    for (const listener of [...listeners]) listener(); // a copy: one may unsubscribe meanwhile
  };
  const onStatus = (status: Status) => {
    if (status !== 'reconnecting') change(NOT_RECONNECTING);
  };
  // Wall-clock on purpose: `retryAt` is for display next to `Date.now()`; the socket's own
  // timer keeps a monotonic clock.
  const onRetry = ({ attempt, delay }: ReconnectingEvent) =>
    change({ attempt, delay, retryAt: Date.now() + delay });
  const detachIfUnused = () => {
    if (listeners.size > 0 || !attached) return;
    attached = false;
    socket.off('status', onStatus);
    socket.off('reconnecting', onRetry);
    info = NOT_RECONNECTING; // no longer followed, so no longer known
  };
  return {
    subscribe(onChange) {
      listeners.add(onChange);
      if (!attached) {
        attached = true;
        socket.on('status', onStatus);
        socket.on('reconnecting', onRetry);
      }
      return () => {
        listeners.delete(onChange);
        // A microtask later: StrictMode's unmount and remount keep what was seen.
        if (listeners.size === 0) queueMicrotask(detachIfUnused);
      };
    },
    get: () => info,
  };
}

/**
 * The shared reconnect-info store of `socket`.
 *
 * @example
 * ```ts
 * const store = reconnectInfoStore(socket);
 * const stop = store.subscribe(() => console.log(store.get().attempt));
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
