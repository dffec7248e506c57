import { type EffectScope, effect, effectScope } from 'vue';

/** A URL provider for a core socket, and the means to stop watching what it reads. */
export interface TrackedUrl<T> {
  /** Calls the getter once (one connection attempt), tracking the refs it reads. */
  read(): T;
  stop(): void;
}

/**
 * Wraps a URL getter so that each connection attempt calls it exactly once and tracks the refs
 * it reads during that call; `onChange` runs when one of them changes (at most once per
 * attempt: the next attempt tracks again). A `watch` would call the getter a second time only
 * to collect dependencies, and an async getter that fetches a token would fetch it twice.
 *
 * @example
 * ```ts
 * const url = trackedUrl(() => `wss://chat.example/${room.value}`, () => socket.reconnect());
 * const socket = new Socket(url.read);
 * ```
 */
export function trackedUrl<T>(getter: () => T, onChange: () => void): TrackedUrl<T> {
  // A detached scope per attempt: whichever component's scope happens to be active when core
  // calls the provider must not collect (and later stop) our tracking.
  let scope: EffectScope | undefined;
  const end = () => {
    scope?.stop();
    scope = undefined;
  };
  return {
    read() {
      end();
      const own = effectScope(true);
      scope = own;
      let value!: T;
      // `effect` runs the function once now, then calls the scheduler (not the function) on a
      // change: exactly the one call per attempt we want.
      own.run(() =>
        effect(
          () => {
            value = getter();
          },
          {
            scheduler: () => {
              end();
              onChange();
            },
          },
        ),
      );
      return value;
    },
    stop: end,
  };
}
