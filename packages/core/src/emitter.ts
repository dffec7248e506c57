// eventemitter3 with one change: a listener that throws cannot stop the other listeners or
// unwind Lifeline mid-transition. Its error is reported the way browsers report errors from
// event listeners (`reportError`), or rethrown on a microtask where that does not exist.
import { EventEmitter } from 'eventemitter3';

type Listener = { fn: (...args: unknown[]) => void; context: unknown; once: boolean };

/** Reports an error thrown by user code without throwing into the caller. */
export function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (report) report(error);
  else
    queueMicrotask(() => {
      throw error;
    });
}

/** Calls `fn` and reports, rather than propagates, what it throws. */
export function safeCall<A extends unknown[]>(
  fn: (...args: A) => unknown,
  self: unknown,
  ...args: A
): void {
  try {
    fn.apply(self, args);
  } catch (error) {
    reportListenerError(error);
  }
}

/** Typed eventemitter3 whose `emit` isolates listener errors. */
export class SafeEmitter<Events extends EventEmitter.ValidEventTypes> extends EventEmitter<Events> {
  override emit<T extends EventEmitter.EventNames<Events>>(
    event: T,
    ...args: EventEmitter.EventArgs<Events, T>
  ): boolean {
    const stored = (this as unknown as { _events: Record<string, Listener | Listener[]> })._events[
      EventEmitter.prefixed ? `${EventEmitter.prefixed}${String(event)}` : (event as string)
    ];
    if (!stored) return false;
    if (!Array.isArray(stored)) {
      // The common case (one listener) without allocating.
      if (stored.once) this.removeListener(event, stored.fn as never, undefined, true);
      safeCall(stored.fn, stored.context, ...(args as unknown[]));
      return true;
    }
    // Iterate over a copy: listeners may remove themselves (or others) while running.
    for (const listener of stored.slice()) {
      if (listener.once) this.removeListener(event, listener.fn as never, undefined, true);
      safeCall(listener.fn, listener.context, ...(args as unknown[]));
    }
    return true;
  }
}
