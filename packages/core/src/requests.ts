// Pending requests (DESIGN §3): unique ids, timeouts, abort, and at-least-once resend: a
// request still unanswered when its connection dropped goes out again, with the same id,
// on the next connection.

import { firesAfter } from './clock';
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
  /** Takes the frame back out of the send queue, if it still waits there. */
  unqueue?: () => void;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * 96 random bits as 16 base64url characters. Servers dedupe requests by id across clients
 * and reloads, so the prefix must not collide: it comes from `crypto.getRandomValues`, with
 * `Math.random` only where no Web Crypto exists at all.
 */
function randomPrefix(): string {
  const bytes = new Uint8Array(12);
  const crypto = (globalThis as { crypto?: Crypto }).crypto;
  if (crypto && typeof crypto.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    text +=
      BASE64URL[n >> 18]! +
      BASE64URL[(n >> 12) & 63]! +
      BASE64URL[(n >> 6) & 63]! +
      BASE64URL[n & 63]!;
  }
  return text;
}

/** The table of requests awaiting a reply. */
export class Requests {
  private pending = new Map<string, Pending>();
  private counter = 0;
  // Made on the first request, so sockets that never send one pay nothing.
  private prefix: string | undefined;

  get size(): number {
    return this.pending.size;
  }

  /** Whether request `id` still awaits its reply. */
  has(id: string): boolean {
    return this.pending.has(id);
  }

  /** A fresh request id. */
  nextId(): string {
    this.prefix ??= randomPrefix();
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
      // 0, Infinity and delays setTimeout cannot hold (over ~24.8 days) mean "no timeout".
      if (firesAfter(timeout))
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

  /** Registers how to take request `id`'s frame back out of the send queue when it settles. */
  queued(id: string, unqueue: () => void): void {
    const pending = this.pending.get(id);
    if (pending) pending.unqueue = unqueue;
  }

  /** Records that request `id` went out on connection `connection`. */
  sent(id: string, connection: number): void {
    const pending = this.pending.get(id);
    if (pending) {
      pending.sentOn = connection;
      pending.unqueue = undefined;
    }
  }

  /** Settles request `id` once; later calls (duplicate replies) are ignored. Returns whether it was pending. */
  settle(id: string, data: unknown, error?: Error): boolean {
    const pending = this.pending.get(id);
    if (!pending) return false;
    this.pending.delete(id);
    pending.cleanup();
    // A request that settles while queued (timeout, abort, close) must not be sent, nor count
    // in `queued` and `bufferedAmount`.
    pending.unqueue?.();
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
