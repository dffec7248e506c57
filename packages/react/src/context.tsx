import type { Socket, SocketOptions, UrlInput } from '@lifeline/core';
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
 * The socket of the nearest {@link SocketProvider}, bound like {@link useSocket}: status,
 * last message and stable `send`/`sendJson`/`request`. Throws when there is no provider above.
 *
 * @example
 * ```tsx
 * function Status() {
 *   const { status } = useSocketContext();
 *   return <p>{status}</p>;
 * }
 * ```
 */
export function useSocketContext<S extends Socket = Socket>(): UseSocketResult<S> {
  const value = useContext(SocketContext);
  if (!value) {
    throw new Error(
      'useSocketContext() was called outside a <SocketProvider>. Wrap the component (or the ' +
        'app) in <SocketProvider url="wss://…"> or pass the socket to useSocket instead.',
    );
  }
  return useSocket(value.socket as S | null);
}
