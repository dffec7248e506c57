import type { MessageHandler, MessageMap, Socket } from '@lifeline/core';
import { type MaybeRefOrGetter, toValue, watch } from 'vue';
import type { IncomingEnvelope } from './bindSocket';

/** A socket, or a ref or getter of one that may still be empty. */
export type SocketSource<In extends MessageMap> = MaybeRefOrGetter<
  // biome-ignore lint/suspicious/noExplicitAny: only the incoming map matters here
  Socket<In, any, any> | null | undefined
>;

/**
 * Calls `handler` for each incoming envelope of `type` while the calling component or effect
 * scope lives: `(data, envelope)` for a type, `(envelope)` for `'*'`. `socket` may be a socket,
 * or a ref or getter of one (such as `useSocket().socket`, which is `null` until the component
 * mounts): the subscription follows it.
 *
 * @example
 * ```ts
 * const { socket } = useSocket<{ chat: { text: string } }>('wss://chat.example.com/ws');
 * const lines = ref<string[]>([]);
 * useSocketMessage(socket, 'chat', (data) => lines.value.push(data.text));
 * ```
 */
export function useSocketMessage<In extends MessageMap>(
  socket: SocketSource<In>,
  type: '*',
  handler: (envelope: IncomingEnvelope<In>) => void,
): void;
export function useSocketMessage<In extends MessageMap, K extends keyof In & string>(
  socket: SocketSource<In>,
  type: K,
  handler: MessageHandler<In[K], K>,
): void;
export function useSocketMessage(
  socket: SocketSource<MessageMap>,
  type: string,
  handler: MessageHandler<unknown> | ((envelope: IncomingEnvelope<MessageMap>) => void),
): void {
  // Synchronous flush: subscribed as soon as the socket exists, so no message slips past.
  watch(
    () => toValue(socket),
    (current, _previous, onCleanup) => {
      if (current) onCleanup(current.onMessage(type, handler as MessageHandler<unknown>));
    },
    { immediate: true, flush: 'sync' },
  );
}
