import {
  type Envelope,
  LifelineError,
  type MessageMap,
  type RequestMap,
  type RequestOptions,
  type Socket,
  type SocketOptions,
  type Status,
  type UrlInput,
} from '@lifeline/core';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { lastMessageStore } from './lastMessage';
import { acquireSocket } from './registry';
import { socketKey } from './socketKey';
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect';
import { useSocketStatus } from './useSocketStatus';

/**
 * An incoming envelope of socket type `S`: a union discriminated by `type`, so checking
 * `message.type === 'chat'` types `message.data` as the `chat` data.
 */
export type IncomingEnvelope<S extends Socket> =
  S extends Socket<infer In>
    ? { [K in keyof In & string]: Envelope<K, In[K]> }[keyof In & string]
    : Envelope;

/** What {@link useSocket} returns. */
export interface UseSocketResult<S extends Socket = Socket> {
  /**
   * The socket, or `null` before the component has mounted and during server rendering
   * (a socket made by `useSocket(url)` is created on the client, after the first render).
   */
  socket: S | null;
  /** The socket's status; `'idle'` while there is no socket. */
  status: Status;
  /** The most recent envelope the socket received while any component was listening. */
  lastMessage: IncomingEnvelope<S> | undefined;
  /** `socket.send`, stable across renders. Throws `ERR_NOT_OPEN` while there is no socket. */
  send: S['send'];
  /** `socket.sendJson`, stable across renders. Throws `ERR_NOT_OPEN` while there is no socket. */
  sendJson: S['sendJson'];
  /** `socket.request`, stable across renders. Rejects with `ERR_NOT_OPEN` while there is no socket. */
  request: S['request'];
}

/** Whether `value` is a Lifeline socket (duck-typed, so two copies of core still interoperate). */
function isSocket(value: unknown): value is Socket {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof URL) &&
    typeof (value as Socket).onMessage === 'function' &&
    typeof (value as Socket).sendJson === 'function'
  );
}

function noSocket(): LifelineError {
  return new LifelineError(
    'ERR_NOT_OPEN',
    'useSocket has no socket yet: it is created after the component mounts and never during ' +
      'server rendering. Send from an effect or an event handler, or check `socket` first.',
  );
}

const noop = () => () => {};
const nothing = () => undefined;

/**
 * Binds a component to a Lifeline socket: re-renders on status changes and incoming
 * envelopes, and hands out `send`, `sendJson` and `request`.
 *
 * With a URL, the socket is shared by every component using the same URL and options (plain
 * values compared by value, functions by identity, so keep functions stable), created after
 * mount on the client only, and disposed when the last of those components unmounts.
 * StrictMode's double effects reuse the same connection. Passing `null` means "no socket".
 * With an existing `Socket`, the hook only subscribes: the socket stays yours to close.
 *
 * @example
 * ```tsx
 * type In = { chat: { user: string; text: string } };
 * type Out = { chat: { text: string } };
 *
 * function Chat() {
 *   const { status, lastMessage, sendJson } = useSocket<In, Out>('wss://chat.example/ws');
 *   return (
 *     <>
 *       <p>{status}</p>
 *       <p>{lastMessage?.type === 'chat' && lastMessage.data?.text}</p>
 *       <button type="button" onClick={() => sendJson('chat', { text: 'hi' })}>Say hi</button>
 *     </>
 *   );
 * }
 * ```
 */
export function useSocket<S extends Socket>(socket: S | null | undefined): UseSocketResult<S>;
export function useSocket<
  // Untyped by default, like `new Socket(url)`.
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages
  Incoming extends MessageMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages
  Outgoing extends MessageMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages
  Requests extends RequestMap = any,
>(
  url: UrlInput | null | undefined,
  options?: SocketOptions,
): UseSocketResult<Socket<Incoming, Outgoing, Requests>>;
export function useSocket(
  target: Socket | UrlInput | null | undefined,
  options?: SocketOptions,
): UseSocketResult<Socket> {
  const given = isSocket(target) ? target : null;
  const key = given || target == null ? null : socketKey(target, options);

  // The shared socket, tagged with its key so a render after a URL change never shows the
  // previous socket while the effect swaps it.
  const [owned, setOwned] = useState<{ key: string; socket: Socket } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `target` and `options` by value, so new but equal options objects do not reconnect.
  useEffect(() => {
    if (key === null) return;
    const lease = acquireSocket(target as UrlInput, options, key);
    setOwned((prev) => (prev?.socket === lease.socket ? prev : { key, socket: lease.socket }));
    return lease.release;
  }, [key]);
  const socket = given ?? (owned && owned.key === key ? owned.socket : null);

  const status = useSocketStatus(socket);
  const store = socket ? lastMessageStore(socket) : null;
  const lastMessage = useSyncExternalStore(
    store ? store.subscribe : noop,
    store ? store.get : nothing,
    nothing,
  );

  // Stable methods that act on whichever socket is current when they are called.
  const current = useRef(socket);
  useIsomorphicLayoutEffect(() => {
    current.current = socket;
  });
  const methods = useMemo(
    () => ({
      send: (data: Parameters<Socket['send']>[0]) => {
        if (!current.current) throw noSocket();
        return current.current.send(data);
      },
      sendJson: (type: string, data?: unknown) => {
        if (!current.current) throw noSocket();
        return current.current.sendJson(type, data);
      },
      request: (type: string, data?: unknown, options?: RequestOptions) => {
        if (!current.current) return Promise.reject(noSocket());
        return current.current.request(type, data, options);
      },
    }),
    [],
  );

  return useMemo(
    () => ({ socket, status, lastMessage, ...methods }) as UseSocketResult<Socket>,
    [socket, status, lastMessage, methods],
  );
}

/** {@link useSocket} without overloads, for callers holding either a socket or a URL. */
export const useSocketFor = useSocket as (
  target: Socket | UrlInput | null | undefined,
  options?: SocketOptions,
) => UseSocketResult<Socket>;
