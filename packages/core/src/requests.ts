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

// Fields `_`-prefixed: the production build's property mangling shortens them.
interface Pending {
  _frame: unknown;
  /** Number of the connection the frame last went out on (0: still queued). */
  _sentOn: number;
  _resolve: (data: unknown) => void;
  _reject: (error: Error) => void;
  _cleanup: () => void;
  /** Takes the frame back out of the send queue, if it still waits there. */
  _unqueue?: () => void;
  /** What the reply must pass (`request(type, data, { schema })`). */
  _schema?: StandardSchemaV1;
}

/**
 * 96 random bits as 16 base64url characters, each from 6 bits of a random byte. Servers
 * dedupe requests by id across clients and reloads, so the prefix must not collide: it comes
 * from `crypto.getRandomValues`, with `Math.random` only where no Web Crypto exists at all.
 */
function randomPrefix(): string {
  const bytes = new Uint8Array(16);
  const crypto = (globalThis as { crypto?: Crypto }).crypto;
  if (typeof crypto?.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.random() * 256; // a Uint8Array truncates
  // Each byte's low 6 bits → the char code of a base64url symbol: A–Z, a–z, 0–9, -, _.
  const codes = bytes.map((byte) => {
    const n = byte & 63;
    return n < 26 ? n + 65 : n < 52 ? n + 71 : n < 62 ? n - 4 : n < 63 ? 45 : 95;
  });
  return String.fromCharCode(...codes);
}

// Members only the core calls are `_`-prefixed: internal, and shortened by the production
// build's property mangling (rollup.config.mjs).
/** The table of requests awaiting a reply. */
export class Requests {
  private _pending = new Map<string, Pending>();
  private _counter = 0;
  // Made on the first request, so sockets that never send one pay nothing.
  private _prefix: string | undefined;

  get size(): number {
    return this._pending.size;
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
        this._settle(
          id,
          undefined,
          fail('ERR_ABORTED', DEV ? `Request "${type}" (${id}) was aborted.` : ''),
        );
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      this._pending.set(id, {
        _frame: frame,
        _sentOn: 0,
        _resolve: resolve,
        _reject: reject,
        _cleanup: cleanup,
        _schema: options.schema,
      });
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort);
      // 0, Infinity and delays setTimeout cannot hold (over ~24.8 days) mean "no timeout".
      if (firesAfter(timeout))
        timer = setTimeout(
          () =>
            this._settle(
              id,
              undefined,
              fail(
                'ERR_TIMEOUT',
                DEV ? `Request "${type}" (${id}) got no reply within ${timeout} ms.` : '',
              ),
            ),
          timeout,
        );
    });
  }

  /** The schema request `id`'s reply must pass, if it has one. */
  _schemaOf(id: string): StandardSchemaV1 | undefined {
    return this._pending.get(id)?._schema;
  }

  /** Registers how to take request `id`'s frame back out of the send queue when it settles. */
  queued(id: string, unqueue: () => void): void {
    const pending = this._pending.get(id);
    if (pending) pending._unqueue = unqueue;
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
      onSend: () => this._sent(id, connection()),
      onDrop: (reason) => this._settle(id, undefined, droppedError(type, id, reason)),
    };
  }

  /** Records that request `id` went out on connection `connection`. */
  _sent(id: string, connection: number): void {
    const pending = this._pending.get(id);
    if (pending) {
      pending._sentOn = connection;
      pending._unqueue = undefined;
    }
  }

  /** Settles request `id` once; later calls (duplicate replies) are ignored. Returns whether it was pending. */
  _settle(id: string, data: unknown, error?: Error): boolean {
    const pending = this._pending.get(id);
    if (!pending) return false;
    this._pending.delete(id);
    pending._cleanup();
    // A request that settles while queued (timeout, abort, close) must not be sent, nor count
    // in `queued` and `bufferedAmount`.
    pending._unqueue?.();
    if (error) pending._reject(error);
    else pending._resolve(data);
    return true;
  }

  /** Settles the request a reply envelope (one with `re`) answers. */
  _reply({ re, data, error }: Envelope): void {
    this._settle(re!, data, error && new LifelineError('ERR_REMOTE', error.message, error));
  }

  /** Sends again, on `ws`, every request sent on an earlier connection and still unanswered. */
  _resend(ws: WebSocket, connection: number): void {
    for (const pending of this._pending.values())
      if (pending._sentOn > 0 && pending._sentOn < connection) {
        ws.send(pending._frame as SendData);
        pending._sentOn = connection;
      }
  }

  /** Rejects every pending request with `error`. */
  _rejectAll(error: LifelineError): void {
    for (const id of [...this._pending.keys()]) this._settle(id, undefined, error);
  }
}

/**
 * Throws when a new request cannot be made: the socket is disposed or closed (close()
 * rejected every pending request; one made after it would wait for a connect() that may
 * never come, so it settles now the same way), or `schema` is not a Standard Schema.
 */
export function refuse(disposed: boolean, status: Status, type: string, schema: unknown): void {
  if (disposed || status === 'closing' || status === 'closed')
    throw fail(
      'ERR_CLOSED',
      !DEV
        ? ''
        : disposed
          ? 'The socket was disposed.'
          : `Cannot send request "${type}": the socket is ${status}. Call connect() first.`,
    );
  if (
    schema !== undefined &&
    typeof (schema as StandardSchemaV1)?.['~standard']?.validate !== 'function'
  )
    throw invalid(
      DEV ? `request("${type}").schema` : '', // the name is only for the message
      schema,
      DEV ? 'expected a Standard Schema v1' : '',
    );
}

/** Why a request whose frame left the queue unsent rejects. */
export function droppedError(
  type: string,
  id: string,
  reason: DropReason | 'cleared',
): LifelineError {
  if (reason === 'expired')
    return fail(
      'ERR_TIMEOUT',
      DEV ? `Request "${type}" (${id}) expired in the queue (queue.maxAge).` : '',
    );
  if (reason === 'cleared')
    return fail('ERR_ABORTED', DEV ? `Request "${type}" (${id}) was removed by clearQueue().` : '');
  return fail(
    'ERR_QUEUE_FULL',
    DEV ? `Request "${type}" (${id}) was dropped because the send queue overflowed.` : '',
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
