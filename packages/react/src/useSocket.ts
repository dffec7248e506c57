import {
  type Envelope,
  type EnvelopeOf,
  LifelineError,
  type MessageMap,
  type RequestMap,
  type RequestOptions,
  type Socket,
  type SocketOptions,
  type Status,
  type StreamMap,
  type UrlInput,
} from '@lifeline/core';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { lastMessageStore } from './lastMessage';
import { acquireSocket, type Lease } from './registry';
import { functionMarkers, socketKey } from './socketKey';
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect';
import { useSocketStatus } from './useSocketStatus';

/**
 * An incoming envelope of socket type `S`: a union discriminated by `type`, so checking
 * `message.type === 'chat'` types `message.data` as the `chat` data. `data` is required here
 * (core's `Envelope` has it optional): the map says what each type carries, as it does for
 * `onMessage` handlers.
 */
export type IncomingEnvelope<S extends Socket> =
  S extends Socket<infer In> ? EnvelopeOf<In> : Envelope;

/** What {@link useSocket} returns. */
export interface UseSocketResult<S extends Socket = Socket> {
  /**
   * The socket, or `null` before the component has mounted and during server rendering
   * (a socket made by `useSocket(url)` is created on the client, after the first render).
   */
  socket: S | null;
  /** The socket's status; `'idle'` while there is no socket. */
  status: Status;
  /**
   * The most recent envelope the socket received while any component was listening: one that
   * `onMessage` handlers get, never a request's reply or a protocol frame (`ping`, `pong`,
   * `subscribe`, `unsubscribe`).
   */
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
 * With a URL, the socket is created after mount on the client only, and shared by every
 * component using the same URL and options; it is disposed when the last of them unmounts.
 * StrictMode's double effects reuse the same connection. Passing `null` means "no socket".
 * With an existing `Socket`, the hook only subscribes: the socket stays yours to close.
 *
 * How options are compared, so that a re-render never makes a new connection:
 * - plain values by value (a new but equal `{ heartbeat: true }` on each render is fine);
 * - functions (a URL provider, `protocols`, `shouldReconnect`, `debug`, the methods of a codec
 *   literal) by their source text within one component: an inline arrow function, new on every
 *   render, keeps the connection, and the socket always calls the function from the latest
 *   render, so a token it captures is fresh on the next attempt. Changing what a URL provider
 *   captures does not reconnect by itself (the socket reads it before each attempt; call
 *   `socket.reconnect()` to apply it now). Across components, a function is shared only when it
 *   is the same function object (module scope, `useCallback`): two inline closures may capture
 *   different values, so each component then gets its own socket;
 * - the `WebSocket` constructor and class instances (a codec made with `new`) by identity:
 *   create them once, outside the component or with `useMemo`.
 *
 * `socket.close()` on a shared socket closes the one connection of every component using it. A
 * component that mounts later and finds it `closed` calls `connect()` (unless the options say
 * `autoConnect: false`).
 *
 * @example
 * ```tsx
 * type In = { chat: { user: string; text: string } };
 * type Out = { chat: { text: string } };
 *
 * function Chat({ token }: { token: string }) {
 *   const { status, lastMessage, sendJson } = useSocket<In, Out>(
 *     () => `wss://chat.example/ws?token=${token}`,
 *   );
 *   return (
 *     <>
 *       <p>{status}</p>
 *       <p>{lastMessage?.type === 'chat' && lastMessage.data.text}</p>
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
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages
  Streams extends StreamMap = any,
>(
  url: UrlInput | null | undefined,
  options?: SocketOptions,
): UseSocketResult<Socket<Incoming, Outgoing, Requests, Streams>>;
export function useSocket(
  target: Socket | UrlInput | null | undefined,
  options?: SocketOptions,
): UseSocketResult<Socket> {
  const given = isSocket(target) ? target : null;
  // One marker table per hook call, so an inline function keeps this component's key.
  const [marker] = useState(functionMarkers);
  const key = given || target == null ? null : socketKey(target, options, marker);

  // The shared socket, tagged with its key so a render after a URL change never shows the
  // previous socket while the effect swaps it.
  const [owned, setOwned] = useState<{ key: string; socket: Socket } | null>(null);
  const lease = useRef<Lease | null>(null);
  // After every commit, the shared socket's functions call this render's (fresh closures).
  useIsomorphicLayoutEffect(() => {
    if (lease.current?.key === key) lease.current.update(target as UrlInput, options);
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `target` and `options` by value, so new but equal options objects do not reconnect.
  useEffect(() => {
    if (key === null) return;
    const held = acquireSocket(target as UrlInput, options, key);
    lease.current = held;
    setOwned((prev) => (prev?.socket === held.socket ? prev : { key, socket: held.socket }));
    return () => {
      if (lease.current === held) lease.current = null;
      held.release();
    };
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
