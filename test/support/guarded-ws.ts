// The `ws` WebSocket with one change for tests: an `error` event emitted while nobody listens
// (which `ws`, like any Node EventEmitter, turns into an uncaught exception that kills the
// process) is recorded instead, so a test can fail on it with a clear message.
import { WebSocket as WS } from 'ws';

/** `error` events that had no listener, across every GuardedWebSocket. */
export const unhandledErrors: Error[] = [];

/** Drop-in for `ws`'s WebSocket: pass as `WebSocket: GuardedWebSocket as never`. */
export class GuardedWebSocket extends WS {
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'error' && this.listenerCount('error') === 0) {
      unhandledErrors.push(args[0] as Error);
      return false;
    }
    return super.emit(event, ...args);
  }
}

/** Returns and forgets the recorded unhandled errors, as messages. */
export function takeUnhandledErrors(): string[] {
  return unhandledErrors.splice(0).map((error) => String(error?.message ?? error));
}
