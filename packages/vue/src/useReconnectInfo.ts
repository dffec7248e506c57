import type { RetryInfo, Socket } from '@lifeline/core';
import { type MaybeRefOrGetter, type ShallowRef, shallowRef, toValue, watch } from 'vue';
import { isServerRendering } from './lifecycle';

// biome-ignore lint/suspicious/noExplicitAny: any socket, whatever its message maps
type AnySocket = Socket<any, any, any, any>;

/**
 * The retry in progress of `socket` (a socket, or a ref or getter of one such as
 * `useSocket().socket`) as a shallow ref of `socket.retry`: `{ attempt, delay, retryAt }` from
 * the moment a retry is scheduled until the socket leaves `reconnecting`; `null` otherwise
 * (also with no socket and during server rendering). Called during a wait, it holds that wait at
 * once. The ref changes only when a retry is scheduled and when the socket leaves
 * `reconnecting`, so only what reads it updates. The countdown is yours to tick (the
 * composable owns no timer): `retryAt` is on the `performance.now()` clock. Listeners follow
 * `socket` and go with the calling component or effect scope.
 *
 * @example
 * ```ts
 * const { socket } = useSocket('wss://chat.example.com/ws');
 * const retry = useReconnectInfo(socket);
 * const now = useNow(); // a ref ticking performance.now() while mounted
 * const seconds = computed(() =>
 *   retry.value ? Math.max(0, Math.ceil((retry.value.retryAt - now.value) / 1000)) : undefined,
 * );
 * ```
 */
export function useReconnectInfo(
  socket: MaybeRefOrGetter<AnySocket | null | undefined>,
): Readonly<ShallowRef<RetryInfo | null>> {
  const info = shallowRef<RetryInfo | null>(null);
  if (isServerRendering()) return info;

  // Synchronous flush: listening the moment a socket appears, before it can schedule a retry.
  watch(
    () => toValue(socket),
    (current, _previous, onCleanup) => {
      info.value = current?.retry ?? null; // a wait already under way shows at once
      if (!current) return;
      // `reconnecting` announces a new retry, `status` the end of one; the socket's `retry` is
      // one object per retry, so an unchanged one triggers nothing.
      const read = () => {
        info.value = current.retry;
      };
      current.on('status', read);
      current.on('reconnecting', read);
      onCleanup(() => {
        current.off('status', read);
        current.off('reconnecting', read);
      });
    },
    { immediate: true, flush: 'sync' },
  );
  return info;
}
