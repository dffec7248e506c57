import type { MessageMap, RequestMap, Socket, SocketOptions, UrlInput } from '@lifeline/core';
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { type UseSocketResult, useSocket, useSocketFor } from './useSocket';

// `undefined` means "no provider above"; a provider whose socket is not created yet gives null.
const SocketContext = createContext<{ socket: Socket | null } | undefined>(undefined);
SocketContext.displayName = 'LifelineSocket';

/** Props of {@link SocketProvider}: a URL (plus options) to share, or a socket you own. */
export type SocketProviderProps = { children?: ReactNode } & (
  | { url: UrlInput | null; options?: SocketOptions; socket?: never }
  | { socket: Socket | null; url?: never; options?: never }
);

/**
 * Shares one socket with every component below it, which read it with
 * {@link useSocketContext}. Given a `url`, the provider owns the socket (shared and disposed
 * like {@link useSocket}'s); given a `socket`, it only passes it down.
 *
 * @example
 * ```tsx
 * root.render(
 *   <SocketProvider url="wss://chat.example/ws" options={{ heartbeat: true }}>
 *     <App />
 *   </SocketProvider>,
 * );
 * ```
 */
export function SocketProvider(props: SocketProviderProps): ReactNode {
  const { socket } = useSocketFor(
    props.socket !== undefined ? props.socket : props.url,
    props.options,
  );
  // One value object per socket, so consumers do not re-render each time the provider does.
  const value = useMemo(() => ({ socket }), [socket]);
  return <SocketContext.Provider value={value}>{props.children}</SocketContext.Provider>;
}

/**
 * What {@link useSocketContext} returns for its type arguments: the message maps
 * `<In, Out, Req>`, like `useSocket` and Vue's `useLifeline`. For code written against 0.1, a
 * socket type as the only argument (`useSocketContext<typeof socket>()`) still works.
 */
export type UseSocketContextResult<In, Out extends MessageMap, Req extends RequestMap> =
  // `any` (the default) first: a conditional type would otherwise give both branches.
  0 extends 1 & In
    ? // biome-ignore lint/suspicious/noExplicitAny: untyped, like `new Socket(url)`
      UseSocketResult<Socket<any, Out, Req>>
    : In extends Socket
      ? UseSocketResult<In>
      : In extends MessageMap
        ? UseSocketResult<Socket<In, Out, Req>>
        : never;

/**
 * The socket of the nearest {@link SocketProvider}, bound like {@link useSocket}: status,
 * last message and stable `send`/`sendJson`/`request`. Typed by the message maps
 * `<In, Out, Req>`, as `useSocket` is; the provider does not carry types down, so name them
 * where you read the socket. Throws when there is no provider above.
 *
 * @example
 * ```tsx
 * type In = { chat: { text: string } };
 * type Out = { chat: { text: string } };
 *
 * function LastLine() {
 *   const { status, lastMessage } = useSocketContext<In, Out>();
 *   return <p>{status}: {lastMessage?.type === 'chat' && lastMessage.data.text}</p>;
 * }
 * ```
 */
export function useSocketContext<
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages
  In extends MessageMap | Socket = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages
  Out extends MessageMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages
  Req extends RequestMap = any,
>(): UseSocketContextResult<In, Out, Req> {
  const value = useContext(SocketContext);
  if (!value) {
    throw new Error(
      'useSocketContext() was called outside a <SocketProvider>. Wrap the component (or the ' +
        'app) in <SocketProvider url="wss://…"> or pass the socket to useSocket instead.',
    );
  }
  return useSocket(value.socket) as UseSocketContextResult<In, Out, Req>;
}
