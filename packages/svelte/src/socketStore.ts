import {
  type Envelope,
  type EnvelopeOf,
  LifelineError,
  type MessageMap,
  type RequestMap,
  type RequestOptions,
  type RetryInfo,
  Socket,
  type SocketOptions,
  type Status,
  type StreamMap,
  type UrlInput,
} from '@lifeline/core';
import { isServer } from './environment';
import { type Readable, readable } from './readable';
import { isSocket } from './source';

/**
 * An incoming envelope of socket type `S`: a union discriminated by `type`, so checking
 * `message.type === 'chat'` types `message.data` as the chat data.
 */
export type IncomingEnvelope<S extends Socket> =
  S extends Socket<infer In> ? EnvelopeOf<In> : Envelope;

/** The value of a {@link SocketStore}: status, the retry in progress and the last message. */
export interface SocketState<S extends Socket = Socket> {
  /** The socket's status; `'idle'` while there is no socket (no subscriber yet, or on the server). */
  readonly status: Status;
  /**
   * The retry in progress, `socket.retry`: `{ attempt, delay, retryAt }` from the moment a
   * retry is scheduled until the socket leaves `reconnecting`, `null` otherwise. `retryAt` is on
   * the `performance.now()` clock, for a "reconnecting in 3 s" countdown.
   */
  readonly retry: RetryInfo | null;
  /**
   * The last envelope `onMessage` handlers got while the store had subscribers: never a
   * request's reply or a protocol frame (`ping`, `pong`, `subscribe`, `unsubscribe`).
   */
  readonly lastMessage: IncomingEnvelope<S> | undefined;
}

/** What {@link socketStore} returns: a readable of {@link SocketState}, the socket, its methods. */
export interface SocketStore<S extends Socket = Socket> extends Readable<SocketState<S>> {
  /**
   * The socket: the one you passed, or, for a URL, the one made for the current subscribers
   * (`null` before the first subscriber, after the last has left, and during server rendering).
   */
  readonly socket: S | null;
  /** `socket.send`. Throws `ERR_NOT_OPEN` while there is no socket. */
  send: S['send'];
  /** `socket.sendJson`. Throws `ERR_NOT_OPEN` while there is no socket. */
  sendJson: S['sendJson'];
  /** `socket.request`. Rejects with `ERR_NOT_OPEN` while there is no socket. */
  request: S['request'];
}

const INITIAL: SocketState = Object.freeze({
  status: 'idle',
  retry: null,
  lastMessage: undefined,
});

function noSocket(): LifelineError {
  return new LifelineError(
    'ERR_NOT_OPEN',
    'This socket store has no socket: it creates one for its first subscriber (`$store` in a ' +
      'component), never during server rendering, and disposes it after the last. Send from a ' +
      'component that reads the store.',
  );
}

/**
 * A store of a Lifeline socket for Svelte 4 and 5 components (`$chat.status`).
 *
 * Given a URL, the store makes the socket when its first subscriber arrives and disposes it
 * (a microtask) after the last one leaves, so components that share the store share one
 * connection. Given a `Socket`, it only listens: the socket stays yours to close. During server
 * rendering it creates and listens to nothing, and reads `'idle'`.
 *
 * The value changes on a status change, when a retry is scheduled (`retry`, for a
 * "reconnecting in 3 s" countdown) and on each incoming envelope. A store subscribed during a
 * wait shows that wait at once.
 *
 * @example
 * ```svelte
 * <script>
 *   import { socketStore } from '@lifeline/svelte';
 *   const chat = socketStore('wss://chat.example/ws', { heartbeat: true });
 * </script>
 *
 * <p>{$chat.status}</p>
 * <button onclick={() => chat.sendJson('chat', { text: 'hi' })}>Say hi</button>
 * ```
 */
export function socketStore<S extends Socket>(socket: S): SocketStore<S>;
export function socketStore<
  // Untyped by default, like `new Socket(url)`.
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages
  In extends MessageMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages
  Out extends MessageMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages
  Req extends RequestMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages
  Streams extends StreamMap = any,
>(url: UrlInput, options?: SocketOptions): SocketStore<Socket<In, Out, Req, Streams>>;
export function socketStore(target: Socket | UrlInput, options?: SocketOptions): SocketStore {
  const given = isSocket(target) ? target : null;
  let socket: Socket | null = given;

  const state = readable<SocketState>(INITIAL, (set) => {
    if (isServer()) return () => {};
    const current = given ?? new Socket(target as UrlInput, options);
    socket = current;
    let value: SocketState = { ...INITIAL, status: current.status, retry: current.retry };
    set(value);
    const update = (next: SocketState) => {
      value = next;
      set(next);
    };
    // The status listener updates status and retry together (core sets the retry before the
    // status changes): one notification a change; a retry already shown is not shown twice.
    const onStatus = (status: Status) => update({ ...value, status, retry: current.retry });
    const onRetry = () => {
      if (current.retry !== value.retry) update({ ...value, retry: current.retry });
    };
    current.on('status', onStatus);
    current.on('reconnecting', onRetry);
    const offMessage = current.onMessage('*', (envelope: Envelope) =>
      update({ ...value, lastMessage: envelope as SocketState['lastMessage'] }),
    );
    return () => {
      current.off('status', onStatus);
      current.off('reconnecting', onRetry);
      offMessage();
      if (!given) {
        socket = null;
        current.dispose();
      }
      set(INITIAL);
    };
  });

  return {
    subscribe: state.subscribe,
    get socket() {
      return socket;
    },
    send: (data) => {
      if (!socket) throw noSocket();
      return socket.send(data);
    },
    sendJson: (type: string, data?: unknown) => {
      if (!socket) throw noSocket();
      return socket.sendJson(type, data);
    },
    request: (type: string, data?: unknown, requestOptions?: RequestOptions) =>
      socket ? socket.request(type, data, requestOptions) : Promise.reject(noSocket()),
  } as SocketStore;
}
