// eventemitter3 with one change: a listener that throws cannot stop the other listeners or
// unwind Lifeline mid-transition. Its error is reported the way browsers report errors from
// event listeners (`reportError`), or rethrown on a microtask where that does not exist.
import { EventEmitter } from 'eventemitter3';

type Fn = (a?: unknown, b?: unknown) => unknown;
type Listener = { fn: Fn; context: unknown; once: boolean };

/** Reports an error thrown by user code without throwing into the caller. */
export function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (report) report(error);
  else
    queueMicrotask(() => {
      throw error;
    });
}

/** Calls `fn` with up to two arguments, reporting rather than propagating what it throws. */
export function safeCall(fn: Fn, self: unknown, a?: unknown, b?: unknown): void {
  try {
    // Pass only the arguments the event has, so rest-parameter listeners see the right count.
    if (b === undefined) fn.call(self, a);
    else fn.call(self, a, b);
  } catch (error) {
    reportListenerError(error);
  }
}

/** Typed eventemitter3 whose `emit` isolates listener errors. Events carry ≤ 2 arguments. */
export class SafeEmitter<Events extends EventEmitter.ValidEventTypes> extends EventEmitter<Events> {
  override emit<T extends EventEmitter.EventNames<Events>>(
    event: T,
    ...args: EventEmitter.EventArgs<Events, T>
  ): boolean;
  // Events carry at most two arguments; the rest parameter only matches the overload above.
  override emit(
    event: EventEmitter.EventNames<Events>,
    a?: unknown,
    b?: unknown,
    ..._: unknown[]
  ): boolean {
    return this._emit(event, a, b);
  }

  /** Whether `event` has any `on()` listener (DOM-style ones included). */
  protected _hasListeners(event: EventEmitter.EventNames<Events>): boolean {
    return this._stored(event) !== undefined;
  }

  /** `emit` with two fixed parameters instead of a rest array: it runs once per message. */
  protected _emit(event: EventEmitter.EventNames<Events>, a?: unknown, b?: unknown): boolean {
    const stored = this._stored(event);
    if (!stored) return false;
    if (!Array.isArray(stored)) {
      // The common case, one listener, without allocating.
      if (stored.once) this.removeListener(event, stored.fn as never, undefined, true);
      safeCall(stored.fn, stored.context, a, b);
      return true;
    }
    // Iterate over a copy: listeners may remove themselves (or others) while running.
    for (const listener of stored.slice()) {
      if (listener.once) this.removeListener(event, listener.fn as never, undefined, true);
      safeCall(listener.fn, listener.context, a, b);
    }
    return true;
  }

  /**
   * eventemitter3's record of `event`'s listeners: one, an array, or none. Its keys are the
   * event names as they are: it prefixes them only where `Object.create(null)` is missing,
   * which no ES2020 engine is.
   */
  private _stored(event: EventEmitter.EventNames<Events>): Listener | Listener[] | undefined {
    return (this as unknown as { _events: Record<string, Listener | Listener[] | undefined> })
      ._events[event as string];
  }
}
