// The smaller entry: the drop-in reconnecting WebSocket. The native surface, status, backoff,
// the close-code policy, the connect timeout, the queue, and network and wake awareness,
// without JSON envelopes, request/reply or heartbeat (`Socket` in socket.ts adds those).
// Where the queue flushes: `_flush`.
import { now } from './clock';
import { closeArgs } from './close-args';
import { DEV } from './dev';
import { fail } from './errors';
import { Lifecycle } from './lifecycle';
import { isActive, readyStateOf, type Status } from './machine';
import { type NetworkWatcher, watchNetwork } from './network';
import { type ReconnectingSocketOptions, resolveOptions } from './options';
import type { CloseInfo } from './policy';
import {
  byteLength,
  Outbox,
  type OutboxLimits,
  type QueuedMessage,
  type SendData,
  snapshot,
} from './queue';
import { WS_OPEN } from './transport';
import type { UrlInput } from './url';

/** The close a socket reports when nothing more specific was asked for. */
const NORMAL_CLOSE: CloseInfo = { code: 1000, reason: '', wasClean: true };
/** The close `reconnect()` reports for the connection it drops. */
const RECONNECT_CLOSE: CloseInfo = { code: 1000, reason: 'reconnect', wasClean: true };

/**
 * A drop-in for the native `WebSocket` that reconnects with backoff, queues what is sent while
 * the connection is down and flushes it in order, pauses while offline and stops trusting a
 * connection after the device sleeps. The smaller entry of `@lifeline/core`: import it
 * instead of {@link Socket} when you need no JSON messaging, requests or heartbeat.
 *
 * @example
 * ```ts
 * import { ReconnectingSocket } from '@lifeline/core';
 *
 * const socket = new ReconnectingSocket('wss://api.example.com/ws');
 * socket.onmessage = (event) => console.log(event.data);
 * socket.send('hello'); // queued until the connection is open
 * ```
 */
export class ReconnectingSocket extends Lifecycle {
  /** The outbox, made on the first message that has to wait. */
  protected _queue: Outbox | undefined;

  /**
   * @param url - `ws(s)://`, `http(s)://` or relative URL, or a function called before every
   *   attempt (may be async) that returns one.
   * @throws LifelineError `ERR_INVALID_URL` / `ERR_INVALID_OPTION` / `ERR_NO_WEBSOCKET`
   */
  constructor(url: UrlInput, options?: ReconnectingSocketOptions) {
    super(url, resolveOptions(options));
    if (this._o.autoConnect) this.connect();
  }

  // ── Native surface ───────────────────────────────────────────────────────────────

  /** Lifecycle status; changes are emitted as `status`. */
  get status(): Status {
    return this._status;
  }

  /** Native-compatible state: a socket waiting to reconnect is `CONNECTING`. */
  get readyState(): number {
    return readyStateOf(this._status);
  }

  /** The URL of the current or last attempt (tokens from a provider included; never logged). */
  get url(): string {
    return this._url;
  }

  /** Subprotocol the server selected, or `''`. */
  get protocol(): string {
    return this._ws?.protocol ?? '';
  }

  /** Extensions the server selected, or `''`. */
  get extensions(): string {
    return this._ws?.extensions ?? '';
  }

  /** How binary messages are exposed: `'blob'` or `'arraybuffer'`. */
  get binaryType(): BinaryType {
    return this._binaryType;
  }
  set binaryType(value: BinaryType) {
    // Like the native setter: anything but the two known values is ignored.
    if (value !== 'blob' && value !== 'arraybuffer') return;
    this._binaryType = value;
    if (this._ws) this._ws.binaryType = value;
  }

  /** Bytes not yet on the wire: the native buffer plus everything queued. */
  get bufferedAmount(): number {
    return (this._ws?.bufferedAmount ?? 0) + (this._queue?.bytes ?? 0);
  }

  /** Messages waiting in the queue. */
  get queued(): number {
    return this._queue?.size ?? 0;
  }

  /**
   * Sends now when open, else queues (flushed in order on the next open).
   * @returns `'sent'`, `'queued'` or `'dropped'` (queue overflow, also emitted as `drop`)
   * @throws LifelineError `ERR_NOT_OPEN` (not open and `queue: false`), `ERR_QUEUE_FULL`
   *   (overflow `'error'`), `ERR_CLOSED` (disposed)
   */
  send(data: SendData): 'sent' | 'queued' | 'dropped' {
    // The hot path first: `_live` is the transport only while the socket is open (a disposed
    // socket has none). A transport already CLOSING would discard the frame: queue it instead.
    // `!== undefined`, not a truthiness test (which must also rule out `document.all`-like
    // objects): measured, that test was most of what send adds to the native one.
    const ws = this._live;
    if (ws !== undefined && ws.readyState === WS_OPEN) {
      ws.send(data);
      return 'sent';
    }
    return this._enqueue({ data: snapshot(data), bytes: byteLength(data), at: now() });
  }

  /**
   * Closes for good: no reconnection until `connect()`. Pending requests reject with
   * `ERR_CLOSED`; the queue is kept. Like the native socket, the status turns `closing` at
   * once and the `close` event follows asynchronously, never inside this call.
   * @param code - 1000 or 3000–4999 (converted like the native argument: 1000.4 → 1000)
   * @param reason - at most 123 UTF-8 bytes (converted to a string like the native argument)
   * @throws LifelineError `ERR_INVALID_CLOSE_CODE` for other codes or a longer reason
   */
  close(code?: number, reason?: string): void {
    const [closeCode, closeReason] = closeArgs(code, reason);
    if (this._disposed) return;
    this._settleAll('closed');
    if (!isActive(this._status)) return; // idle, closing or closed
    const ws = this._ws;
    this._clearTimers();
    this._stopWatchers();
    this._unwatchNetwork();
    this._attempting = false;
    this._closing = { code: closeCode, reason: closeReason, wasClean: true };
    if (ws && ws.readyState === WS_OPEN) {
      // Its close event finishes the job in the lifecycle. A dead peer never answers the
      // close frame: do not sit in `closing` for minutes.
      ws.close(closeCode, closeReason);
      this._wait(this._o.connectTimeout, () => {
        this._endConnection(true);
        this._finish({ code: 1006, reason: 'close timeout', wasClean: false });
      });
    } else {
      this._endConnection(true, closeCode, closeReason);
      const generation = this._connection;
      queueMicrotask(() => {
        if (generation === this._connection && this._status === 'closing')
          this._finish(this._closing!);
      });
    }
    this._to('closing');
  }

  /**
   * Starts connecting (from `idle`, `closed` or `closing`); does nothing while already
   * connecting, open or reconnecting. From `closing`, the close in progress completes first.
   * @throws LifelineError `ERR_NO_WEBSOCKET` when no WebSocket constructor exists,
   *   `ERR_CLOSED` after `dispose()`
   */
  connect(): void {
    this._alive();
    if (isActive(this._status)) return;
    if (!this._o.WebSocket && typeof WebSocket === 'undefined')
      throw fail(
        'ERR_NO_WEBSOCKET',
        DEV
          ? 'No WebSocket constructor: pass one with the `WebSocket` option (in Node: `import WebSocket from "ws"`).'
          : '',
      );
    if (this._status === 'closing') {
      // The close in progress completes now (its `close` event included); the old transport
      // finishes its handshake in the background, detached, and its timer goes with it.
      this._endConnection(true);
      this._finish(this._closing ?? NORMAL_CLOSE);
      if (this._disposed || (this._status as Status) !== 'closed') return; // a listener took over
    }
    this._endConnection(true);
    this._clearTimers(); // a change of course: whatever an earlier status had pending is stale
    this._closing = undefined;
    this._retries = 0;
    if (this._o.network) watchNetwork(this as unknown as NetworkWatcher);
    const generation = this._connection;
    this._to('connecting');
    if (generation === this._connection) this._attempt(); // unless a status listener took over
  }

  /** Drops the current connection (if any) and reconnects at once, with a fresh attempt count. */
  reconnect(): void {
    this._alive();
    this._restart();
  }

  /** Closes, rejects pending requests, and removes every listener and timer. Final. */
  dispose(): void {
    if (this._disposed) return;
    // First, so listeners of the final events below cannot start anything new.
    this._disposed = true;
    this._settleAll('disposed');
    this._clearTimers();
    const wasActive = this._status !== 'idle' && this._status !== 'closed';
    this._endConnection(true);
    if (wasActive) this._finish(this._closing ?? NORMAL_CLOSE);
    this._unwatchNetwork();
    this._queue?.clear();
    this._dropListeners();
  }

  /** Empties the send queue without `drop` events; queued requests reject with `ERR_ABORTED`. */
  clearQueue(): void {
    for (const message of this._queue?.clear() ?? []) message.onDrop?.('cleared');
  }

  // ── Internals ────────────────────────────────────────────────────────────────────

  protected _alive(): void {
    if (this._disposed)
      throw fail('ERR_CLOSED', DEV ? 'This socket was disposed; create a new one.' : '');
  }

  /** Queues `message` (not open): the outbox applies its limits and reports drops. */
  protected _enqueue(message: QueuedMessage): 'queued' | 'dropped' {
    this._alive();
    const limits = this._o.queue;
    if (!limits)
      throw fail(
        'ERR_NOT_OPEN',
        DEV
          ? `Cannot send while the socket is ${this._status} and queueing is off (queue: false). Wait for 'open' or enable the queue.`
          : '',
      );
    return this._outbox(limits).push(message);
  }

  /** The queue, made on first use; what it drops is reported as `drop` events. */
  protected _outbox(limits: OutboxLimits): Outbox {
    this._queue ??= new Outbox(limits, (dropped, reason) =>
      this.emit('drop', { data: dropped.data, reason }),
    );
    return this._queue;
  }

  protected _restart(): void {
    const s = this._status;
    if (!isActive(s)) return this.connect(); // idle, closing or closed
    this._clearTimers();
    this._endConnection(true, 1000, 'reconnect');
    this._retries = 0;
    this._retry = undefined; // an attempt at once, not a scheduled retry
    this._attempting = false;
    if (s === 'open' && !this._moveAfterClose('reconnecting', RECONNECT_CLOSE)) return;
    this._attempt();
  }

  /** The queue goes out on a fresh connection; stops if a `drop` listener changes course. */
  protected _flush(ws: WebSocket, generation: number): boolean {
    const queue = this._queue;
    while (queue) {
      const message = queue.take(now()); // may emit `drop` (expired), and a listener may act
      if (generation !== this._connection) {
        // close(), reconnect() or dispose() from a listener: the rest waits for the next connection.
        if (message && !this._disposed) queue.putBack(message);
        return false;
      }
      if (!message) break;
      ws.send(message.data);
      queue.sent(message);
    }
    return true;
  }
}
