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
import {
  customRef,
  type MaybeRefOrGetter,
  type Ref,
  type ShallowRef,
  shallowRef,
  toValue,
  watch,
} from 'vue';
import { isServerRendering } from './lifecycle';

/** Options of {@link useSubscription}. */
export interface UseSubscriptionOptions extends SubscriptionCallbacks {
  /**
   * Sent with the subscribe (the server's `authorize` sees it). Read each time the composable
   * subscribes (a new socket or stream); a change alone does not subscribe again.
   */
  data?: MaybeRefOrGetter<unknown>;
}

/**
 * {@link useSubscription}'s status: the subscription's, or `'idle'` while there is none (no
 * socket or stream yet, and during server rendering), as `useSocket` says `'idle'` before its
 * socket exists.
 */
export type UseSubscriptionStatus = SubscriptionStatus | 'idle';

/** What {@link useSubscription} returns. */
export interface UseSubscriptionReturn<M extends MessageMap> {
  /** The subscription's status. */
  readonly status: Readonly<ShallowRef<UseSubscriptionStatus>>;
  /**
   * The subscription's position (`undefined` before the server's first reply), moving with
   * every delivered message. Read from the subscription when read, so it costs nothing unless
   * something (a template, a `computed`) reads it.
   */
  readonly position: Readonly<Ref<StreamPosition | undefined>>;
  /** The core handle while subscribed, for its `duplicates` or extra listeners; else `null`. */
  readonly subscription: Readonly<ShallowRef<Subscription<M> | null>>;
}

// biome-ignore lint/suspicious/noExplicitAny: only the stream map matters here
type AnySocket<Streams extends StreamMap> = Socket<any, any, any, Streams>;

/**
 * Subscribes to a stream of `socket` (DESIGN §8) while the calling component or effect scope
 * lives: `handler(data, message)` gets its messages in order, resumed across reconnects
 * without gaps or duplicates within an epoch. `socket` and `stream` may be refs or getters
 * (such as `useSocket().socket`, `null` until mount): a new socket or stream unsubscribes the
 * old one and subscribes the new; `null`/`undefined` for either means "not subscribed"
 * (`'idle'`). Nothing is subscribed during server rendering. Throws what `socket.subscribe()`
 * throws (`ERR_INVALID_OPTION`, `ERR_CLOSED` on a disposed socket).
 *
 * Data is typed from the socket's stream map (`Socket<In, Out, Req, Streams>`).
 *
 * @example
 * ```ts
 * type Streams = { [room: `room:${string}`]: { chat: { text: string } } };
 * const { socket } = useSocket<{}, {}, {}, Streams>('wss://chat.example.com/ws');
 * const room = ref('42');
 * const lines = ref<string[]>([]);
 * const { status, position } = useSubscription(socket, () => `room:${room.value}`, (data) =>
 *   lines.value.push(data.text),
 * );
 * ```
 */
export function useSubscription<Streams extends StreamMap, S extends keyof Streams & string>(
  socket: MaybeRefOrGetter<AnySocket<Streams> | null | undefined>,
  stream: MaybeRefOrGetter<S | null | undefined>,
  handler?: StreamHandler<Streams[S]>,
  options?: UseSubscriptionOptions,
): UseSubscriptionReturn<Streams[S]> {
  const status = shallowRef<UseSubscriptionStatus>('idle');
  const subscription = shallowRef<Subscription<Streams[S]> | null>(null);
  let moved = () => {};
  // Reads the handle's own position: a message only invalidates it, allocating nothing.
  const position = customRef<StreamPosition | undefined>((track, trigger) => {
    moved = trigger;
    return {
      get: () => {
        track();
        return subscription.value?.position;
      },
      set: () => {},
    };
  });

  if (isServerRendering()) return { status, position, subscription };

  // Synchronous flush: subscribed the moment the socket exists, so no message slips past.
  watch(
    [() => toValue(socket), () => toValue(stream)],
    ([current, name], _previous, onCleanup) => {
      if (!current || name == null) return;
      const data = toValue(options?.data);
      const handle = current.subscribe(name, handler, data === undefined ? undefined : { data });
      const onStatus = (next: SubscriptionStatus) => {
        status.value = next;
        moved(); // the first reply and a resync move the position along with the status
      };
      handle.on('status', onStatus);
      handle.on('message', moved);
      handle.on('resync', (event) => {
        moved();
        options?.onResync?.(event);
      });
      if (options?.onGap) handle.on('gap', options.onGap);
      // Only when asked: a handle listening for `error` keeps the socket from reporting it.
      if (options?.onError) handle.on('error', options.onError);
      subscription.value = handle;
      status.value = handle.status;
      moved();
      onCleanup(() => {
        // Unsubscribing removes the handle's listeners (ours too); its `closed` is not shown,
        // since either another subscription follows or the scope is gone.
        handle.off('status', onStatus);
        handle.unsubscribe();
        subscription.value = null;
        status.value = 'idle';
        moved();
      });
    },
    { immediate: true, flush: 'sync' },
  );

  return { status, position, subscription };
}
