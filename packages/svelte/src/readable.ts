/**
 * A readable store that honours Svelte's store contract (`subscribe(run, invalidate?)` returns
 * an unsubscribe function and calls `run` at once with the current value), so `$store` works in
 * Svelte 4 and Svelte 5 components alike. Written here rather than taken from `svelte/store`
 * for two reasons: importing this package then loads no Svelte runtime (nothing at all runs
 * during server rendering), and the stop after the last subscriber is deferred by a microtask,
 * so a component destroyed and another created in the same tick (an `{#if}` swap, a keyed
 * re-render) keep the one connection instead of closing it and opening another.
 */

/** What Svelte calls on a store: `$store` in a component, `get(store)`, `derived(...)`. */
export interface Readable<T> {
  /**
   * Calls `run` with the current value now and with every new value until the returned
   * function is called. `invalidate`, used by `derived` stores, is called before `run`.
   */
  subscribe(run: (value: T) => void, invalidate?: () => void): () => void;
}

/** Starts the store's work for its first subscriber; returns what stops it after the last. */
export type Start<T> = (set: (value: T) => void) => () => void;

interface Subscriber<T> {
  run: (value: T) => void;
  invalidate: (() => void) | undefined;
}

/** Svelte's own rule: a new primitive value notifies only when different; objects always do. */
function changed(previous: unknown, next: unknown): boolean {
  return (
    !Object.is(previous, next) ||
    (previous !== null && typeof previous === 'object') ||
    typeof previous === 'function'
  );
}

/**
 * A store holding `initial` until `start` sets more. `start` runs when the first subscriber
 * arrives; what it returns runs one microtask after the last subscriber left, unless another
 * subscriber came back meanwhile.
 *
 * @example
 * ```ts
 * const clock = readable(0, (set) => {
 *   const timer = setInterval(() => set(Date.now()), 1000);
 *   return () => clearInterval(timer);
 * });
 * ```
 */
export function readable<T>(initial: T, start: Start<T>): Readable<T> & { get(): T } {
  let value = initial;
  let stop: (() => void) | undefined;
  const subscribers = new Set<Subscriber<T>>();

  const set = (next: T) => {
    if (!changed(value, next)) return;
    value = next;
    // Copies: a subscriber may unsubscribe (or subscribe another) while we iterate.
    const current = [...subscribers];
    for (const subscriber of current) subscriber.invalidate?.();
    for (const subscriber of current) if (subscribers.has(subscriber)) subscriber.run(value);
  };

  const stopIfUnused = () => {
    if (subscribers.size > 0 || !stop) return;
    const stopping = stop;
    stop = undefined;
    stopping();
  };

  return {
    subscribe(run, invalidate) {
      const subscriber: Subscriber<T> = { run, invalidate };
      // Started before the subscriber joins: what `start` sets is the value `run` first sees.
      if (subscribers.size === 0 && !stop) stop = start(set);
      subscribers.add(subscriber);
      run(value);
      return () => {
        if (!subscribers.delete(subscriber)) return; // called twice
        if (subscribers.size === 0) queueMicrotask(stopIfUnused);
      };
    },
    get: () => value,
  };
}
