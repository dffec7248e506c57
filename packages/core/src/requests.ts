// Pending requests (DESIGN §3): unique ids, timeouts, abort, and at-least-once resend: a
// request still unanswered when its connection dropped goes out again, with the same id,
// on the next connection.
import type { Envelope } from './envelope';
import { LifelineError } from './errors';

/** Options of `socket.request()`. */
export interface RequestOptions {
  /** Reject with `ERR_TIMEOUT` after this many ms (default: the `requestTimeout` option). */
  timeout?: number;
  /** Abort: reject with `ERR_ABORTED` and forget the request. */
  signal?: AbortSignal;
}

interface Pending {
  frame: unknown;
  /** Number of the connection the frame last went out on (0: still queued). */
  sentOn: number;
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
  cleanup: () => void;
}

/** The table of requests awaiting a reply. */
export class Requests {
  private pending = new Map<string, Pending>();
  private counter = 0;
  // A random prefix keeps ids unique across page loads, so a server can dedupe on them.
  private prefix = Math.random().toString(36).slice(2, 10);

  get size(): number {
    return this.pending.size;
  }

  /** Whether request `id` still awaits its reply. */
  has(id: string): boolean {
    return this.pending.has(id);
  }

  /** A fresh request id. */
  nextId(): string {
    return `${this.prefix}-${++this.counter}`;
  }

  /** Registers request `id`; returns its promise. The caller sends `frame`. */
  add(
    id: string,
    frame: unknown,
    type: string,
    options: RequestOptions,
    timeout: number,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const { signal } = options;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () =>
        this.settle(
          id,
          undefined,
          new LifelineError('ERR_ABORTED', `Request "${type}" (${id}) was aborted.`),
        );
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      this.pending.set(id, { frame, sentOn: 0, resolve, reject, cleanup });
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort);
      if (timeout > 0 && timeout < Number.POSITIVE_INFINITY)
        timer = setTimeout(
          () =>
            this.settle(
              id,
              undefined,
              new LifelineError(
                'ERR_TIMEOUT',
                `Request "${type}" (${id}) got no reply within ${timeout} ms.`,
              ),
            ),
          timeout,
        );
    });
  }

  /** Records that request `id` went out on connection `connection`. */
  sent(id: string, connection: number): void {
    const pending = this.pending.get(id);
    if (pending) pending.sentOn = connection;
  }

  /** Settles request `id` once; later calls (duplicate replies) are ignored. Returns whether it was pending. */
  settle(id: string, data: unknown, error?: Error): boolean {
    const pending = this.pending.get(id);
    if (!pending) return false;
    this.pending.delete(id);
    pending.cleanup();
    if (error) pending.reject(error);
    else pending.resolve(data);
    return true;
  }

  /** Settles the request a reply envelope answers. */
  reply(envelope: Envelope): boolean {
    const { re, error } = envelope;
    if (re === undefined) return false;
    return this.settle(
      re,
      envelope.data,
      error && new LifelineError('ERR_REMOTE', error.message, error),
    );
  }

  /** Frames of requests sent on an earlier connection and still unanswered, to send again. */
  *unanswered(connection: number): Generator<[string, unknown]> {
    for (const [id, pending] of this.pending)
      if (pending.sentOn > 0 && pending.sentOn < connection) yield [id, pending.frame];
  }

  /** Rejects every pending request with `error`. */
  rejectAll(error: LifelineError): void {
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, error);
  }
}
