// Time for everything Lifeline measures: a monotonic clock, so a wall clock set back or forward
// (NTP, the user, a VM resuming) never delays a heartbeat or fires a timeout early. Only wake
// detection reads the wall clock, because a jump of the wall clock is exactly what it looks for.

/** Milliseconds on a monotonic clock (`performance.now()`, or `Date.now()` where there is none). */
export const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? () => performance.now()
    : () => Date.now();

/** The longest delay `setTimeout` honours (2^31−1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_DELAY = 2147483647;

/** Whether `ms` is a timeout that can actually fire: finite, positive and within `MAX_DELAY`. */
export const firesAfter = (ms: number): boolean => ms > 0 && ms <= MAX_DELAY;
