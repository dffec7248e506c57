import type { MessageHandler, MessageMap, Socket } from '@lifeline/core';
import { useEffect, useRef } from 'react';
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect';
import type { IncomingEnvelope } from './useSocket';

/**
 * Calls `handler(data, envelope)` for every incoming envelope of `type` while the component
 * is mounted (`'*'`: `handler(envelope)` for every envelope). The subscription follows
 * `socket` and `type` only: a new `handler` on each render is picked up without unsubscribing,
 * so inline arrow functions are fine and no message is missed between renders. Data is typed
 * from the socket's incoming message map.
 *
 * @example
 * ```tsx
 * function Chat({ socket }: { socket: Socket<{ chat: { text: string } }> }) {
 *   const [lines, setLines] = useState<string[]>([]);
 *   useSocketMessage(socket, 'chat', (data) => setLines((all) => [...all, data.text]));
 *   return <ul>{lines.map((line, i) => <li key={i}>{line}</li>)}</ul>;
 * }
 * ```
 */
export function useSocketMessage<In extends MessageMap>(
  socket: Socket<In> | null | undefined,
  type: '*',
  handler: (envelope: IncomingEnvelope<Socket<In>>) => void,
): void;
export function useSocketMessage<In extends MessageMap, K extends keyof In & string>(
  socket: Socket<In> | null | undefined,
  type: K,
  handler: MessageHandler<In[K], K>,
): void;
export function useSocketMessage(
  socket: Socket | null | undefined,
  type: string,
  handler: (...args: never[]) => void,
): void {
  // One signature for both overloads: the handler is only ever called with what core passes.
  type Forward = (...args: unknown[]) => void;
  const latest = useRef(handler);
  // Updated after commit, not during render: a render that React throws away must not leak its
  // handler into a live subscription.
  useIsomorphicLayoutEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (!socket) return;
    const forward: Forward = (...args) => (latest.current as Forward)(...args);
    return socket.onMessage(type as '*', forward);
  }, [socket, type]);
}
