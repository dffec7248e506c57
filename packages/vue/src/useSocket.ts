import { type MessageMap, type RequestMap, Socket, type SocketOptions } from '@lifeline/core';
import {
  getCurrentScope,
  isRef,
  type MaybeRefOrGetter,
  onScopeDispose,
  shallowRef,
  watch,
} from 'vue';
import { bindSocket, type UseSocketReturn } from './bindSocket';
import { whenClient } from './lifecycle';

/** A socket URL, or a ref or getter of one; a getter may also return a promise (fresh tokens). */
export type SocketUrlSource = MaybeRefOrGetter<string | URL> | (() => Promise<string | URL>);

/**
 * Opens a Lifeline socket for the calling component or effect scope and exposes its state as
 * refs. The socket is created on the client only (after mount inside a component, so nothing
 * opens during server rendering) and disposed when the scope ends. When `url` is a ref or
 * getter, a change reconnects the same socket to the new URL.
 *
 * @example
 * ```ts
 * const room = ref('lobby');
 * const { status, data, sendJson } = useSocket(() => `wss://chat.example.com/${room.value}`);
 * sendJson('hello', { name: 'Ada' }); // from an event handler or onMounted
 * ```
 */
export function useSocket<
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  In extends MessageMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  Out extends MessageMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  Req extends RequestMap = any,
>(url: SocketUrlSource, options?: SocketOptions): UseSocketReturn<In, Out, Req> {
  const socket = shallowRef<Socket<In, Out, Req> | null>(null);
  const view = bindSocket(socket);
  const dynamic = isRef(url) || typeof url === 'function';
  const readUrl = () => (isRef(url) ? url.value : typeof url === 'function' ? url() : url);

  whenClient(() => {
    // One socket for its whole life, reading the latest URL before every attempt: listeners,
    // queued messages and pending requests all survive a URL change.
    const created = new Socket<In, Out, Req>(
      isRef(url) || typeof url === 'function' ? readUrl : url,
      options,
    );
    socket.value = created;
    if (!dynamic) return;
    // Watched only on the client: a getter may fetch a token, which the server must not do.
    watch(readUrl, () => {
      // An idle or closed socket reads the new URL on its next connect(); leave it be.
      if (created.status !== 'idle' && created.status !== 'closed') created.reconnect();
    });
  });

  if (getCurrentScope()) onScopeDispose(() => socket.value?.dispose());
  return view;
}
