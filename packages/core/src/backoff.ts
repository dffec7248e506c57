/** How the wait before each reconnect attempt is randomised. */
export type Jitter = 'full' | 'equal' | 'none';

/** The part of the reconnect options the backoff formula reads. */
export interface BackoffOptions {
  initialDelay: number;
  maxDelay: number;
  factor: number;
  jitter: Jitter;
}

/**
 * Delay in ms before reconnect attempt `attempt` (1-based):
 * `cap = min(maxDelay, initialDelay * factor^(attempt-1))`, then
 * `full`: uniform in [0, cap]; `equal`: cap/2 + uniform in [0, cap/2]; `none`: cap.
 * Full jitter spreads a herd of clients reconnecting after the same server restart.
 *
 * @example
 * ```ts
 * backoffDelay(3, { initialDelay: 1000, maxDelay: 30000, factor: 2, jitter: 'none' }); // 4000
 * ```
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const cap = Math.min(options.maxDelay, options.initialDelay * options.factor ** (attempt - 1));
  if (options.jitter === 'none') return cap;
  if (options.jitter === 'equal') return cap / 2 + random() * (cap / 2);
  return random() * cap;
}
