// Promises that settle on an event of the fake server, never on a timer: each waiter is
// checked again after every frame, connection and close, so awaiting one works the same with
// real timers, vitest's or jest's fake timers, or none.
import type { ReceivedFrame } from './connection';
import type { Envelope, MessageFilter, TestServerEvents } from './types';

/** A check that returns `{ value }` once the wait is over, undefined until then. */
export type Attempt<T> = () => { value: T } | undefined;

interface Waiter {
  attempt: Attempt<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** Why it is still waiting (a failed assertion), for the message when the server stops. */
  lastError?: unknown;
}

export class Waiters {
  private readonly _waiting = new Set<Waiter>();
  private _checking = false;

  /** Settles with the first value `attempt` yields, checking now and after every change. */
  add<T>(attempt: Attempt<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = { attempt, resolve: resolve as (value: unknown) => void, reject };
      if (!this._try(waiter)) this._waiting.add(waiter);
    });
  }

  /** Re-checks every waiter (not re-entrantly: a check that causes a change is seen next time). */
  check(): void {
    if (this._checking || this._waiting.size === 0) return;
    this._checking = true;
    try {
      for (const waiter of [...this._waiting]) if (this._try(waiter)) this._waiting.delete(waiter);
    } finally {
      this._checking = false;
    }
  }

  /** Rejects every waiter (the server stopped: nothing more will happen). */
  rejectAll(reason: string): void {
    for (const waiter of this._waiting) {
      const cause = waiter.lastError;
      waiter.reject(new Error(reason, cause === undefined ? undefined : { cause }));
    }
    this._waiting.clear();
  }

  private _try(waiter: Waiter): boolean {
    try {
      const result = waiter.attempt();
      if (!result) return false;
      waiter.resolve(result.value);
      return true;
    } catch (error) {
      waiter.lastError = error;
      return false;
    }
  }
}

const PROTOCOL_TYPES = new Set(['ping', 'pong']);

/**
 * Takes the first received envelope not taken yet that matches `filter` (a `type` or a test);
 * without a filter, heartbeat `ping`/`pong` frames are skipped.
 */
export function takeNext(
  frames: readonly ReceivedFrame[],
  taken: WeakSet<ReceivedFrame>,
  filter: MessageFilter | undefined,
): Envelope | undefined {
  for (const frame of frames) {
    const { envelope } = frame;
    if (taken.has(frame) || !envelope) continue;
    const matches =
      filter === undefined
        ? !PROTOCOL_TYPES.has(envelope.type)
        : typeof filter === 'string'
          ? envelope.type === filter
          : filter(envelope, frame);
    if (!matches) continue;
    taken.add(frame);
    return envelope;
  }
  return undefined;
}

/** The server's `on(event)` listeners; one that throws is reported and the rest still run. */
export class Listeners {
  private readonly _sets: { [K in keyof TestServerEvents]: Set<TestServerEvents[K]> } = {
    connection: new Set(),
    message: new Set(),
    close: new Set(),
  };

  constructor(private readonly _report: (error: unknown) => void) {}

  add<E extends keyof TestServerEvents>(event: E, listener: TestServerEvents[E]): () => void {
    this._sets[event].add(listener);
    return () => void this._sets[event].delete(listener);
  }

  emit<E extends keyof TestServerEvents>(event: E, ...args: Parameters<TestServerEvents[E]>): void {
    for (const listener of [...this._sets[event]]) {
      try {
        (listener as (...a: Parameters<TestServerEvents[E]>) => void)(...args);
      } catch (error) {
        this._report(error);
      }
    }
  }
}
