import type { ReconnectingEvent, Status } from '@lifeline/core';

/**
 * Where a socket stands in its retries, for a UI that shows "reconnecting in 3 s".
 * Outside the `reconnecting` status it is always {@link NOT_RECONNECTING}.
 */
export interface ReconnectInfo {
  /** The retry scheduled or in flight (1-based); 0 when not reconnecting. */
  readonly attempt: number;
  /** The backoff wait, in ms, before that retry; `undefined` when not reconnecting. */
  readonly delay: number | undefined;
  /**
   * When that retry starts, as a `Date.now()` timestamp (so `retryAt - Date.now()` is the
   * countdown); `undefined` when not reconnecting. Coming back online or a visible page retries
   * sooner; while the device is offline no retry starts, and this stays in the past.
   */
  readonly retryAt: number | undefined;
}

/** The one value meaning "no retry pending". */
export const NOT_RECONNECTING: ReconnectInfo = Object.freeze({
  attempt: 0,
  delay: undefined,
  retryAt: undefined,
});

/**
 * The info a `reconnecting` event announces. `retryAt` is wall-clock time on purpose: it is
 * for display next to `Date.now()`, while the socket's own timer keeps a monotonic clock.
 */
export function retryScheduled({ attempt, delay }: ReconnectingEvent): ReconnectInfo {
  return { attempt, delay, retryAt: Date.now() + delay };
}

/** `info` after the status became `status`: kept while reconnecting, cleared otherwise. */
export function afterStatus(info: ReconnectInfo, status: Status): ReconnectInfo {
  return status === 'reconnecting' ? info : NOT_RECONNECTING;
}
