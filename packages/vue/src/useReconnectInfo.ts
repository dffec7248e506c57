import type { ReconnectingEvent, Socket, Status } from '@lifeline/core';
import { type MaybeRefOrGetter, type ShallowRef, shallowRef, toValue, watch } from 'vue';
import { isServerRendering } from './lifecycle';

/**
 * What {@link useReconnectInfo} holds, for a UI that shows "reconnecting in 3 s". Outside the
 * `reconnecting` status it is always {@link NOT_RECONNECTING}.
 */
export interface ReconnectInfo {
  /** The retry scheduled or in flight (1-based); 0 when not reconnecting. */
  readonly attempt: number;
  /** The backoff wait, in ms, before that retry; `undefined` when not reconnecting. */
  readonly delay: number | undefined;
  /**
   * When that retry starts, as a `Date.now()` timestamp (so `retryAt - Date.now()` is the
   * countdown); `undefined` when not reconnecting. Coming back online or a page turning visible
   * retries sooner; while the device is offline no retry starts, and this stays in the past.
   */
  readonly retryAt: number | undefined;
}

/** The one value meaning "no retry pending" (compare with `===`). */
export const NOT_RECONNECTING: ReconnectInfo = Object.freeze({
  attempt: 0,
  delay: undefined,
  retryAt: undefined,
});

// biome-ignore lint/suspicious/noExplicitAny: any socket, whatever its message maps
type AnySocket = Socket<any, any, any, any>;

/**
 * The retry in progress of `socket` (a socket, or a ref or getter of one such as
 * `useSocket().socket`) as a shallow ref: `{ attempt, delay, retryAt }` while it is
 * `reconnecting`, {@link NOT_RECONNECTING} otherwise (also with no socket and during server
 * rendering). The ref changes only when a retry is scheduled and when the socket leaves
 * `reconnecting`, so only what reads it updates. The countdown is yours to tick (the
 * composable owns no timer): `retryAt` is a `Date.now()` timestamp. Listeners follow `socket`
 * and go with the calling component or effect scope.
 *
 * @example
 * ```ts
 * const { socket } = useSocket('wss://chat.example.com/ws');
 * const retry = useReconnectInfo(socket);
 * const now = useNow(); // a ref ticking Date.now() while mounted: yours, or VueUse's
 * const seconds = computed(() =>
 *   retry.value.retryAt === undefined
 *     ? undefined
 *     : Math.max(0, Math.ceil((retry.value.retryAt - now.value) / 1000)),
 * );
 * ```
 */
export function useReconnectInfo(
  socket: MaybeRefOrGetter<AnySocket | null | undefined>,
): Readonly<ShallowRef<ReconnectInfo>> {
  const info = shallowRef<ReconnectInfo>(NOT_RECONNECTING);
  if (isServerRendering()) return info;

  // Synchronous flush: listening the moment a socket appears, before it can schedule a retry.
  watch(
    () => toValue(socket),
    (current, _previous, onCleanup) => {
      info.value = NOT_RECONNECTING; // another socket, or none: nothing known about its retries
      if (!current) return;
      const onStatus = (status: Status) => {
        if (status !== 'reconnecting') info.value = NOT_RECONNECTING; // same value: no trigger
      };
      // Wall-clock on purpose: `retryAt` is for display next to `Date.now()`; the socket's own
      // timer keeps a monotonic clock.
      const onRetry = ({ attempt, delay }: ReconnectingEvent) => {
        info.value = { attempt, delay, retryAt: Date.now() + delay };
      };
      current.on('status', onStatus);
      current.on('reconnecting', onRetry);
      onCleanup(() => {
        current.off('status', onStatus);
        current.off('reconnecting', onRetry);
      });
    },
    { immediate: true, flush: 'sync' },
  );
  return info;
}
