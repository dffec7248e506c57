import type { MessageMap, Socket } from '@lifeline/core';
import { isServer } from './environment';
import { type Readable, readable } from './readable';
import { type SocketSource, withSocket } from './source';

/** The incoming message map of a socket type. */
type IncomingOf<S extends Socket> = S extends Socket<infer In> ? In : MessageMap;

/**
 * A store of the data of the last incoming envelope of `type` (`undefined` until one arrives).
 * `source` is a `Socket` or a {@link socketStore}; subscribing to this store holds that socket
 * store too, so a component may read only `$typing` and still have its connection. Nothing is
 * listened to during server rendering. Data is typed from the socket's incoming message map.
 *
 * A store shows the latest value: Svelte renders the last of several messages that arrive
 * together. To keep every message (a chat log), use `socket.onMessage` or a subscription's
 * handler.
 *
 * @example
 * ```ts
 * const chat = socketStore<{ typing: { user: string } }>('wss://chat.example/ws');
 * const typing = messageStore(chat, 'typing'); // in a component: {$typing?.user}
 * ```
 */
export function messageStore<S extends Socket, K extends keyof IncomingOf<S> & string>(
  source: SocketSource<S>,
  type: K,
): Readable<IncomingOf<S>[K] | undefined> {
  return readable<IncomingOf<S>[K] | undefined>(undefined, (set) => {
    if (isServer()) return () => {};
    return withSocket(source, (socket) =>
      socket.onMessage(type, (data: unknown) => set(data as IncomingOf<S>[K])),
    );
  });
}
