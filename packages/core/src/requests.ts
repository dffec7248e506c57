// Pending requests (DESIGN §3): unique ids, timeouts, abort, and at-least-once resend: a
// request still unanswered when its connection dropped goes out again, with the same id,
// on the next connection.

import { firesAfter, now } from './clock';
import { DEV } from './dev';
import type { Envelope } from './envelope';
import { fail, LifelineError } from './errors';
import type { Status } from './machine';
import { invalid } from './options';
import type { CloseInfo } from './policy';
import { byteLength, type DropReason, type QueuedMessage, type SendData } from './queue';
import type { StandardSchemaV1 } from './validation/standard-schema';

/** Options of `socket.request()`. */
export interface RequestOptions<S = StandardSchemaV1> {
  /** Reject with `ERR_TIMEOUT` after this many ms (default: the `requestTimeout` option). */
  timeout?: number;
  /** Abort: reject with `ERR_ABORTED` and forget the request. */
  signal?: AbortSignal;
  /**
   * A Standard Schema (zod, valibot, arktype, …) the reply's data must pass: the request
   * resolves with its output (and is typed by it), or rejects with `ERR_INVALID_MESSAGE`
   * carrying the `issues`.
   */
  schema?: S;
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
  /** What the reply must pass (`request(type, data, { schema })`). */
  schema?: StandardSchemaV1;
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
  private _pending = new Map<string, Pending>();
  private _counter = 0;
  // Made on the first request, so sockets that never send one pay nothing.
  private _prefix: string | undefined;

  get size(): number {
    return this._pending.size;
  }

  /** Whether request `id` still awaits its reply. */
  has(id: string): boolean {
    return this._pending.has(id);
  }

  /** A fresh request id. */
  nextId(): string {
    this._prefix ??= randomPrefix();
    return `${this._prefix}-${++this._counter}`;
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
          new LifelineError('ERR_ABORTED', DEV ? `Request "${type}" (${id}) was aborted.` : ''),
        );
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const { schema } = options;
      this._pending.set(id, { frame, sentOn: 0, resolve, reject, cleanup, schema });
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
                DEV ? `Request "${type}" (${id}) got no reply within ${timeout} ms.` : '',
              ),
            ),
          timeout,
        );
    });
  }

  /** The schema request `id`'s reply must pass, if it has one. */
  schemaOf(id: string): StandardSchemaV1 | undefined {
    return this._pending.get(id)?.schema;
  }

  /** Registers how to take request `id`'s frame back out of the send queue when it settles. */
  queued(id: string, unqueue: () => void): void {
    const pending = this._pending.get(id);
    if (pending) pending.unqueue = unqueue;
  }

  /**
   * The queue entry of request `id`'s frame: when it goes out it is recorded as sent on the
   * connection of that moment; when the queue drops it, the request rejects at once.
   */
  queuedFrame(id: string, type: string, frame: SendData, connection: () => number): QueuedMessage {
    return {
      data: frame,
      bytes: byteLength(frame),
      at: now(),
      onSend: () => this.sent(id, connection()),
      onDrop: (reason) => this.settle(id, undefined, droppedError(type, id, reason)),
    };
  }

  /** Records that request `id` went out on connection `connection`. */
  sent(id: string, connection: number): void {
    const pending = this._pending.get(id);
    if (pending) {
      pending.sentOn = connection;
      pending.unqueue = undefined;
    }
  }

  /** Settles request `id` once; later calls (duplicate replies) are ignored. Returns whether it was pending. */
  settle(id: string, data: unknown, error?: Error): boolean {
    const pending = this._pending.get(id);
    if (!pending) return false;
    this._pending.delete(id);
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
    for (const [id, pending] of this._pending)
      if (pending.sentOn > 0 && pending.sentOn < connection) yield [id, pending.frame];
  }

  /** Rejects every pending request with `error`. */
  rejectAll(error: LifelineError): void {
    for (const id of [...this._pending.keys()]) this.settle(id, undefined, error);
  }
}

/**
 * Why a new request cannot be made, if it cannot: the socket is disposed or closed (close()
 * rejected every pending request; one made after it would wait for a connect() that may
 * never come, so it settles now the same way), or `schema` is not a Standard Schema.
 */
export function refused(
  disposed: boolean,
  status: Status,
  type: string,
  schema: unknown,
): Error | undefined {
  if (disposed) return fail('ERR_CLOSED', DEV ? 'The socket was disposed.' : '');
  if (status === 'closing' || status === 'closed')
    return fail(
      'ERR_CLOSED',
      DEV ? `Cannot send request "${type}": the socket is ${status}. Call connect() first.` : '',
    );
  if (
    schema !== undefined &&
    typeof (schema as StandardSchemaV1)?.['~standard']?.validate !== 'function'
  )
    return invalid(`request("${type}").schema`, schema, DEV ? 'expected a Standard Schema v1' : '');
  return undefined;
}

/** Why a request whose frame left the queue unsent rejects. */
export function droppedError(
  type: string,
  id: string,
  reason: DropReason | 'cleared',
): LifelineError {
  const what = DEV ? `Request "${type}" (${id})` : '';
  if (reason === 'expired')
    return fail('ERR_TIMEOUT', DEV ? `${what} expired in the queue (queue.maxAge).` : '');
  if (reason === 'cleared')
    return fail('ERR_ABORTED', DEV ? `${what} was removed by clearQueue().` : '');
  return fail(
    'ERR_QUEUE_FULL',
    DEV ? `${what} was dropped because the send queue overflowed.` : '',
  );
}

/** Why pending requests reject when nothing will connect by itself any more. */
export function closedError(why: CloseInfo | 'closed' | 'disposed'): LifelineError {
  return fail(
    'ERR_CLOSED',
    !DEV
      ? ''
      : why === 'closed'
        ? 'The socket was closed before the request was answered.'
        : why === 'disposed'
          ? 'The socket was disposed before the request was answered.'
          : `The connection closed (${why.code}) and will not reconnect.`,
  );
}
