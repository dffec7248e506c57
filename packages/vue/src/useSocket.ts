import {
  type MessageMap,
  type RequestMap,
  Socket,
  type SocketOptions,
  type StreamMap,
} from '@lifeline/core';
import { getCurrentScope, isRef, type MaybeRefOrGetter, onScopeDispose, shallowRef } from 'vue';
import { bindSocket, type UseSocketReturn } from './bindSocket';
import { whenClient } from './lifecycle';
import { type TrackedUrl, trackedUrl } from './trackedUrl';

type UrlValue = string | URL | Promise<string | URL>;

/** A socket URL, or a ref or getter of one; a getter may also return a promise (fresh tokens). */
export type SocketUrlSource = MaybeRefOrGetter<string | URL> | (() => Promise<string | URL>);

/**
 * Opens a Lifeline socket for the calling component or effect scope and exposes its state as
 * refs. The socket is created on the client only (after mount inside a component, so nothing
 * opens during server rendering) and disposed when the scope ends. When `url` is a ref or
 * getter, it is read once before every connection attempt (an async getter can fetch a fresh
 * token), and a change to a ref it read reconnects the same socket to the new URL.
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
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  Streams extends StreamMap = any,
>(url: SocketUrlSource, options?: SocketOptions): UseSocketReturn<In, Out, Req, Streams> {
  const socket = shallowRef<Socket<In, Out, Req, Streams> | null>(null);
  const view = bindSocket(socket, () => options?.codec);
  let tracked: TrackedUrl<UrlValue> | undefined;
  let ended = false;

  whenClient(() => {
    if (ended) return;
    let created: Socket<In, Out, Req, Streams> | undefined;
    if (isRef(url) || typeof url === 'function') {
      const getter: () => UrlValue = isRef(url) ? () => url.value : url;
      // Deferred so that several refs changed together reconnect once, to the final URL.
      tracked = trackedUrl(getter, () =>
        queueMicrotask(() => {
          // An idle or closed socket reads the new URL on its next connect(); leave it be.
          const status = created?.status;
          if (!ended && status && status !== 'idle' && status !== 'closed') created!.reconnect();
        }),
      );
    }
    // One socket for its whole life: listeners, queued messages and pending requests all
    // survive a URL change.
    created = new Socket<In, Out, Req, Streams>(
      tracked ? tracked.read : (url as string | URL),
      options,
    );
    socket.value = created;
  });

  if (getCurrentScope())
    onScopeDispose(() => {
      ended = true;
      tracked?.stop();
      socket.value?.dispose();
    });
  return view;
}
