import type {
  MessageMap,
  Socket,
  StreamEnvelopeOf,
  StreamHandler,
  StreamMap,
  StreamPosition,
  Subscription,
  SubscriptionCallbacks,
  SubscriptionStatus,
} from '@lifeline/core';
import { isServer } from './environment';
import { type Readable, readable } from './readable';
import { type SocketSource, withSocket } from './source';

/** Options of {@link subscriptionStore}. */
export interface SubscriptionStoreOptions extends SubscriptionCallbacks {
  /** Sent with the subscribe (the server's `authorize` sees it). */
  data?: unknown;
}

/** The status of a {@link subscriptionStore}: the subscription's, or `'idle'` while there is none. */
export type SubscriptionStoreStatus = SubscriptionStatus | 'idle';

/** The value of a {@link subscriptionStore}. */
export interface SubscriptionState<M extends MessageMap = MessageMap> {
  /** `'idle'` with no subscriber or during server rendering; then the subscription's status. */
  readonly status: SubscriptionStoreStatus;
  /** The subscription's position (`undefined` before the server's first reply). */
  readonly position: StreamPosition | undefined;
  /** The last message delivered, whole (`{ type, stream, epoch, seq, data }`). */
  readonly last: StreamEnvelopeOf<M> | undefined;
}

/** What {@link subscriptionStore} returns. */
export interface SubscriptionStore<M extends MessageMap = MessageMap>
  extends Readable<SubscriptionState<M>> {
  /** The core handle while the store has subscribers, for `duplicates` or more listeners. */
  readonly subscription: Subscription<M> | null;
}

// biome-ignore lint/suspicious/noExplicitAny: only the stream map matters here
type AnySocket<Streams extends StreamMap> = Socket<any, any, any, Streams>;

/** The value while there is no subscription. */
function idle<M extends MessageMap>(): SubscriptionState<M> {
  return { status: 'idle', position: undefined, last: undefined };
}

/**
 * A store of a stream subscription (DESIGN §8), resumed across reconnects without gaps or
 * duplicates within an epoch. The stream is subscribed when the store gets its first
 * subscriber and unsubscribed (a microtask) after the last leaves; `handler(data, message)`,
 * if given, sees every message in order, while the store's `last` is only the latest one.
 * `source` is a `Socket` or a {@link socketStore}, which this store then holds. Nothing is
 * subscribed during server rendering. Throws what `socket.subscribe()` throws
 * (`ERR_INVALID_OPTION`, `ERR_CLOSED` on a disposed socket) from the first `subscribe`.
 *
 * @example
 * ```svelte
 * <script>
 *   const chat = socketStore('wss://chat.example/ws');
 *   let lines = $state([]);
 *   const room = subscriptionStore(chat, 'room:42', (data) => lines.push(data.text));
 * </script>
 *
 * <p>{$room.status}, at {$room.position?.seq}</p>
 * {#each lines as line}<p>{line}</p>{/each}
 * ```
 */
export function subscriptionStore<Streams extends StreamMap, N extends keyof Streams & string>(
  source: SocketSource<AnySocket<Streams>>,
  stream: N,
  handler?: StreamHandler<Streams[N]>,
  options?: SubscriptionStoreOptions,
): SubscriptionStore<Streams[N]> {
  type State = SubscriptionState<Streams[N]>;
  let subscription: Subscription<Streams[N]> | null = null;

  const state = readable<State>(idle(), (set) => {
    if (isServer()) return () => {};
    return withSocket(source, (socket) => {
      const handle = socket.subscribe(
        stream,
        handler,
        options?.data === undefined ? undefined : { data: options.data },
      );
      subscription = handle;
      let value: State = { status: handle.status, position: handle.position, last: undefined };
      const update = (last: State['last']) => {
        value = { status: handle.status, position: handle.position, last };
        set(value);
      };
      set(value);
      // The first reply and a resync move the position along with the status.
      handle.on('status', () => update(value.last));
      handle.on('message', (_data, message) => update(message));
      handle.on('resync', (event) => {
        update(value.last);
        options?.onResync?.(event);
      });
      if (options?.onGap) handle.on('gap', options.onGap);
      // Only when asked: a handle listening for `error` keeps the socket from reporting it.
      if (options?.onError) handle.on('error', options.onError);
      return () => {
        subscription = null;
        handle.unsubscribe(); // removes the handle's listeners, ours included
        set(idle());
      };
    });
  });

  return {
    subscribe: state.subscribe,
    get subscription() {
      return subscription;
    },
  };
}
