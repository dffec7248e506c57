import type {
  MessageMap,
  Socket,
  StreamHandler,
  StreamMap,
  StreamPosition,
  Subscription,
  SubscriptionCallbacks,
  SubscriptionStatus,
} from '@lifeline/core';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect';

/** Options of {@link useSubscription}. Callbacks may be new on every render. */
export interface UseSubscriptionOptions extends SubscriptionCallbacks {
  /**
   * Sent with the subscribe (the server's `authorize` sees it). Read when the hook subscribes:
   * a new value alone does not subscribe again (change `stream`, or remount with a `key`).
   */
  data?: unknown;
}

/**
 * {@link useSubscription}'s status: the subscription's, or `'idle'` while there is none (no
 * socket or stream yet, before mount, and during server rendering), as `useSocket` says
 * `'idle'` before its socket exists.
 */
export type UseSubscriptionStatus = SubscriptionStatus | 'idle';

/** What {@link useSubscription} returns. */
export interface UseSubscriptionResult<M extends MessageMap> {
  /** Re-renders the component whenever it changes. */
  status: UseSubscriptionStatus;
  /**
   * The subscription's position (`undefined` before the server's first reply). Reading it
   * during render opts the component into one re-render per delivered message; a component
   * that never reads it re-renders on status changes only.
   */
  position: StreamPosition | undefined;
  /** The core handle while subscribed, for its `duplicates` or extra listeners; else `null`. */
  subscription: Subscription<M> | null;
}

// Streams of an untyped socket are untyped too.
// biome-ignore lint/suspicious/noExplicitAny: only the stream map matters here
type AnySocket<Streams extends StreamMap> = Socket<any, any, any, Streams>;
/** A handle and what it was made for; `taken` while an effect holds it. */
type Held = { socket: Socket; stream: string; subscription: Subscription; taken: boolean };
/** The latest render's handler and options (any stream's handler fits `never` parameters). */
type Latest = { handler?: (data: never, message: never) => void; options?: UseSubscriptionOptions };
type Forward = (data: unknown, message: unknown) => void;

const noop = () => {};
const idle = (): UseSubscriptionStatus => 'idle';
const none = (): undefined => undefined;

/**
 * Subscribes the component to a stream of `socket` (DESIGN §8): `handler(data, message)` gets
 * its messages in order, resumed across reconnects without gaps or duplicates within an epoch.
 *
 * - A new `handler` (or option callback) on each render is picked up without subscribing
 *   again, so inline functions are fine. A new `socket` or `stream` unsubscribes the old one
 *   and subscribes the new; `null`/`undefined` for either means "not subscribed" (`'idle'`).
 * - Unmounting unsubscribes, one microtask later: StrictMode's unmount and remount keep the
 *   one subscription, so the server gets exactly one subscribe.
 * - Subscribes in an effect, so server rendering subscribes nothing and reports `'idle'`.
 * - Throws what `socket.subscribe()` throws (`ERR_INVALID_OPTION`, `ERR_CLOSED` on a disposed
 *   socket) from that effect.
 *
 * Data is typed from the socket's stream map (`Socket<In, Out, Req, Streams>`).
 *
 * @example
 * ```tsx
 * type Streams = { [room: `room:${string}`]: { chat: { text: string } } };
 *
 * function Room({ socket, id }: { socket: Socket<{}, {}, {}, Streams> | null; id: string }) {
 *   const [lines, setLines] = useState<string[]>([]);
 *   const { status } = useSubscription(socket, `room:${id}`, (data) =>
 *     setLines((all) => [...all, data.text]),
 *   );
 *   return <p>{status === 'live' ? lines.join('\n') : 'joining…'}</p>;
 * }
 * ```
 */
export function useSubscription<Streams extends StreamMap, S extends keyof Streams & string>(
  socket: AnySocket<Streams> | null | undefined,
  stream: S | null | undefined,
  handler?: StreamHandler<Streams[S]>,
  options?: UseSubscriptionOptions,
): UseSubscriptionResult<Streams[S]> {
  const latest = useRef({ handler, options });
  // After commit, not during render: a render React throws away must not reach the handler.
  useIsomorphicLayoutEffect(() => {
    latest.current = { handler, options };
  });

  const [held, setHeld] = useState<Held | null>(null);
  // The handle last left, for one microtask: a remount with the same socket and stream
  // (StrictMode) takes it back instead of unsubscribing and subscribing again.
  const leaving = useRef<Held | null>(null);

  useEffect(() => {
    if (!socket || stream == null) return;
    const left = leaving.current;
    const kept =
      left && left.socket === socket && left.stream === stream
        ? left
        : { socket, stream, subscription: subscribeLatest(socket, stream, latest), taken: false };
    kept.taken = true;
    leaving.current = null;
    setHeld((previous) => (previous?.subscription === kept.subscription ? previous : kept));
    return () => {
      kept.taken = false;
      leaving.current = kept;
      queueMicrotask(() => {
        if (leaving.current === kept) leaving.current = null;
        if (!kept.taken) kept.subscription.unsubscribe(); // not taken back by a remount
      });
    };
  }, [socket, stream]);

  // A render after `socket` or `stream` changed never shows the previous subscription.
  const subscription =
    held && held.socket === socket && held.stream === stream ? held.subscription : null;

  const listenStatus = useCallback(
    (onChange: () => void) => listen(subscription, ['status'], onChange),
    [subscription],
  );
  const status = useSyncExternalStore(listenStatus, () => subscription?.status ?? 'idle', idle);

  // Position re-renders only a component that read it (tracked like TanStack Query's result
  // properties): it moves with every message, and most components only show the status.
  const positionRead = useRef(false);
  const listenPosition = useCallback(
    (onChange: () => void) => {
      const onMessage = () => {
        if (positionRead.current) onChange();
      };
      const offMessage = listen(subscription, ['message'], onMessage);
      const offJumps = listen(subscription, ['status', 'resync'], onChange);
      return () => {
        offMessage();
        offJumps();
      };
    },
    [subscription],
  );
  // Core keeps one position object until the position moves: a stable snapshot.
  const position = useSyncExternalStore(listenPosition, () => subscription?.position, none);

  return {
    status,
    get position() {
      positionRead.current = true;
      return position;
    },
    subscription: subscription as Subscription<Streams[S]> | null,
  };
}

/** Subscribes with listeners that call whatever handler and callbacks the latest render gave. */
function subscribeLatest(
  socket: Socket,
  stream: string,
  latest: { current: Latest },
): Subscription {
  const given = latest.current.options;
  const subscription = socket.subscribe(
    stream,
    (data, message) => (latest.current.handler as Forward | undefined)?.(data, message),
    given?.data === undefined ? undefined : { data: given.data },
  );
  subscription.on('resync', (event) => latest.current.options?.onResync?.(event));
  subscription.on('gap', (event) => latest.current.options?.onGap?.(event));
  // Only when asked: a handle listening for `error` keeps the socket from reporting it.
  if (given?.onError) subscription.on('error', (error) => latest.current.options?.onError?.(error));
  return subscription;
}

type Event = 'status' | 'message' | 'resync';

/** Adds `fn` for `events` on `subscription` (if any); returns the remover. */
function listen(subscription: Subscription | null, events: Event[], fn: () => void): () => void {
  if (!subscription) return noop;
  for (const event of events) subscription.on(event, fn);
  return () => {
    for (const event of events) subscription.off(event, fn);
  };
}
