// The public Socket: the native WebSocket surface plus reconnection, queueing, heartbeat,
// wake detection and JSON envelopes. It composes the parts; each part owns one concern.
import { backoffDelay } from './backoff';
import { MAX_DELAY, now } from './clock';
import { DomEvents } from './dom-events';
import { reportListenerError, SafeEmitter, safeCall } from './emitter';
import { decodeEnvelope, type Envelope, encodeEnvelope, isProtocolType } from './envelope';
import { fail, LifelineError } from './errors';
import { Heartbeat } from './heartbeat';
import { createLogger } from './log';
import { Machine, type Status } from './machine';
import { isOnline, watchNetwork } from './network';
import { type Codec, type ResolvedOptions, resolveOptions, type SocketOptions } from './options';
import { type CloseInfo, defaultShouldReconnect } from './policy';
import {
  byteLength,
  type DropReason,
  Outbox,
  type QueuedMessage,
  type SendData,
  snapshot,
} from './queue';
import { type RequestOptions, Requests } from './requests';
import type {
  CloseEvent,
  EnvelopeOf,
  JsonMessageMap,
  JsonRequestMap,
  MessageHandler,
  MessageMap,
  RequestArgs,
  RequestData,
  SendJsonArgs,
  SocketEventMap,
  Untyped,
} from './types';
import { resolveUrl, type UrlInput } from './url';
import { watchWake } from './wake';

type Timer = ReturnType<typeof setTimeout>;
const WS_OPEN = 1;
const ignore = () => {};
const jsonCodec: Codec = { encode: encodeEnvelope, decode: decodeEnvelope };
const NO_PORTS: readonly MessagePort[] = Object.freeze([]);

/** The `message` event listeners get: the native event's fields, with the Socket as target. */
function messageEvent(native: MessageEvent, target: unknown): MessageEvent {
  return {
    type: 'message',
    data: native.data,
    origin: native.origin ?? '',
    lastEventId: native.lastEventId ?? '',
    source: null,
    ports: NO_PORTS,
    target,
    currentTarget: target,
    timeStamp: native.timeStamp ?? 0,
  } as unknown as MessageEvent;
}

/** Runs the codec's `encode`, turning what it throws (a BigInt, a cycle) into a LifelineError. */
function encodeWith(codec: Codec, envelope: Envelope): SendData {
  try {
    return codec.encode(envelope);
  } catch (error) {
    throw new LifelineError(
      'ERR_INVALID_MESSAGE',
      `Cannot encode the "${envelope.type}" message: ${(error as Error)?.message ?? error}. Send data the codec can encode (JSON: no BigInt, no cycles).`,
      undefined,
      error,
    );
  }
}

/** WebIDL `[Clamp] unsigned short`, as the native `close(code)` converts its argument. */
function clampCode(code: number): number {
  const n = Number(code);
  if (Number.isNaN(n)) return 0;
  const clamped = Math.min(Math.max(n, 0), 65535);
  const floor = Math.floor(clamped);
  const diff = clamped - floor;
  // Round half to even, as WebIDL does.
  return diff > 0.5 || (diff === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
}

/** Why a request whose frame left the queue unsent rejects. */
function droppedError(type: string, id: string, reason: DropReason | 'cleared'): LifelineError {
  const what = `Request "${type}" (${id})`;
  if (reason === 'expired')
    return fail('ERR_TIMEOUT', `${what} expired in the queue (queue.maxAge).`);
  if (reason === 'cleared') return fail('ERR_ABORTED', `${what} was removed by clearQueue().`);
  return fail('ERR_QUEUE_FULL', `${what} was dropped because the send queue overflowed.`);
}

/** Close codes a client may send: 1000 or 3000–4999 (RFC 6455 §7.4). */
function checkClose(code: number, reason: string): void {
  if (code !== 1000 && !(Number.isInteger(code) && code >= 3000 && code <= 4999))
    throw fail('ERR_INVALID_CLOSE_CODE', `Invalid close code ${code}: use 1000 or 3000–4999.`);
  if (byteLength(reason) > 123)
    throw fail(
      'ERR_INVALID_CLOSE_CODE',
      'Invalid close reason: it must be at most 123 UTF-8 bytes.',
    );
}

/**
 * A WebSocket that does not drop the ball: a drop-in for the native `WebSocket` that
 * reconnects with backoff, queues what is sent while down, detects dead connections and
 * speaks typed JSON envelopes with request/reply.
 *
 * @typeParam In - incoming message `type` → `data` (a type alias or an interface)
 * @typeParam Out - outgoing message `type` → `data`, which must be JSON (no `bigint`, function,
 *   `Map`, `Set` or symbol)
 * @typeParam Req - request `type` → `{ data, reply }`, `data` JSON as in `Out`
 *
 * @example
 * ```ts
 * const socket = new Socket('wss://api.example.com/ws', { heartbeat: true });
 * socket.on('status', (status) => console.log(status));
 * socket.onMessage('chat', (data) => render(data));
 * socket.sendJson('chat', { text: 'hi' }); // queued until open
 * const sum = await socket.request('sum', { a: 1, b: 2 });
 * ```
 */
export class Socket<
  In extends MessageMap = Untyped,
  Out extends JsonMessageMap<Out> = Untyped,
  Req extends JsonRequestMap<Req> = Untyped,
> extends SafeEmitter<SocketEventMap> {
  /** The connection is being established (also while waiting to reconnect). */
  static readonly CONNECTING = 0;
  /** The connection is open. */
  static readonly OPEN = 1;
  /** The connection is closing. */
  static readonly CLOSING = 2;
  /** Closed, or never opened. */
  static readonly CLOSED = 3;

  /** Native-style handler for `open`. */
  onopen: ((event: import('./types').OpenEvent) => void) | null = null;
  /** Native-style handler for `message` (raw data, before envelope decoding). */
  onmessage: ((event: MessageEvent) => void) | null = null;
  /** Native-style handler for `error`: receives an event whose `error` is the Error. */
  onerror: ((event: import('./types').ErrorEvent) => void) | null = null;
  /** Native-style handler for `close`. */
  onclose: ((event: CloseEvent) => void) | null = null;
  /** Round trip of the last heartbeat ping → `{"type":"pong"}`, in ms. */
  latency: number | undefined = undefined;

  private _o: ResolvedOptions;
  private _input: UrlInput;
  private _url = '';
  private _ws: WebSocket | undefined;
  private _m: Machine;
  private _retries = 0;
  /**
   * Generation: bumped by every attempt and by every call that changes course (close,
   * reconnect, dispose). Timers, async URL providers and loops that call user code compare it
   * to what it was when they started, so nothing stale acts on a newer connection.
   */
  private _connection = 0;
  /** True from the start of an attempt until it opens or fails. */
  private _attempting = false;
  private _opens = 0;
  private _openedAt = 0;
  /** The code and reason `close()` asked for, reported when that close completes. */
  private _closing: CloseInfo | undefined;
  private _retryTimer: Timer | undefined;
  /** Bounds the attempt in flight (connectTimeout), or the close handshake after close(). */
  private _deadline: Timer | undefined;
  private _queue: Outbox | undefined;
  private _hb: Heartbeat | undefined;
  private _stopNetwork: (() => void) | undefined;
  private _stopWake: (() => void) | undefined;
  private _codec: Codec;
  private _handlers = new Map<string, Set<(...args: never[]) => void>>();
  private _requests = new Requests();
  private _dom = new DomEvents(this as never);
  private _log: ReturnType<typeof createLogger>;
  private _binaryType: BinaryType;
  private _disposed = false;

  /**
   * @param url - `ws(s)://`, `http(s)://` or relative URL, or a function called before every
   *   attempt (may be async) that returns one.
   * @throws LifelineError `ERR_INVALID_URL` / `ERR_INVALID_OPTION` / `ERR_NO_WEBSOCKET`
   */
  constructor(url: UrlInput, options?: SocketOptions) {
    super();
    const o = resolveOptions(options);
    this._o = o;
    if (typeof url === 'function') this._input = url;
    else this._input = this._url = resolveUrl(url);
    this._codec = o.codec ?? jsonCodec;
    this._binaryType = o.binaryType;
    this._log = createLogger(o.debug);
    this._m = new Machine('idle', (status, previous) => {
      this._log({ event: 'status', status, previous });
      this.emit('status', status, previous);
    });
    if (o.queue)
      this._queue = new Outbox(o.queue, (message, reason) =>
        this.emit('drop', { data: message.data, reason }),
      );
    if (o.heartbeat)
      this._hb = new Heartbeat(
        o.heartbeat,
        (ping) => this._transmit(ping),
        () => this._fail(4000, 'heartbeat timeout'),
      );
    if (o.autoConnect) this.connect();
  }

  // ── Native surface ───────────────────────────────────────────────────────────────

  /** Native constant: 0. */
  get CONNECTING(): 0 {
    return 0;
  }
  /** Native constant: 1. */
  get OPEN(): 1 {
    return 1;
  }
  /** Native constant: 2. */
  get CLOSING(): 2 {
    return 2;
  }
  /** Native constant: 3. */
  get CLOSED(): 3 {
    return 3;
  }

  /** Lifecycle status; changes are emitted as `status`. */
  get status(): Status {
    return this._m.status;
  }

  /** Native-compatible state: a socket waiting to reconnect is `CONNECTING`. */
  get readyState(): number {
    const s = this._m.status;
    return s === 'open'
      ? 1
      : s === 'closing'
        ? 2
        : s === 'connecting' || s === 'reconnecting'
          ? 0
          : 3;
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
    return this._send(data);
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
    const closeCode = code === undefined ? 1000 : clampCode(code);
    const closeReason = reason === undefined ? '' : String(reason);
    checkClose(closeCode, closeReason);
    if (this._disposed) return;
    this._requests.rejectAll(
      fail('ERR_CLOSED', 'The socket was closed before the request was answered.'),
    );
    const s = this._m.status;
    if (s === 'idle' || s === 'closed' || s === 'closing') return;
    const ws = this._ws;
    this._clearTimers();
    this._stopWatchers();
    this._stopNetwork?.();
    this._stopNetwork = undefined;
    this._attempting = false;
    this._closing = { code: closeCode, reason: closeReason, wasClean: true };
    if (ws && ws.readyState === WS_OPEN) {
      // Its close event finishes the job in _closed. A dead peer never answers the close
      // frame: do not sit in `closing` for minutes.
      ws.close(closeCode, closeReason);
      this._deadline = this._after(this._o.connectTimeout, () => {
        this._endConnection(true);
        this._finish({ code: 1006, reason: 'close timeout', wasClean: false });
      });
    } else {
      this._endConnection(true, closeCode, closeReason);
      const generation = this._connection;
      queueMicrotask(() => {
        if (generation === this._connection && this._m.status === 'closing')
          this._finish(this._closing!);
      });
    }
    this._m.to('closing');
  }

  // ── Lifecycle ──────────────────────────────────────────────────────────────────

  /**
   * Starts connecting (from `idle`, `closed` or `closing`); does nothing while already
   * connecting, open or reconnecting.
   * @throws LifelineError `ERR_NO_WEBSOCKET` when no WebSocket constructor exists,
   *   `ERR_CLOSED` after `dispose()`
   */
  connect(): void {
    this._alive();
    if (this._m.active) return;
    if (!this._o.WebSocket && typeof WebSocket === 'undefined')
      throw fail(
        'ERR_NO_WEBSOCKET',
        'No WebSocket constructor: pass one with the `WebSocket` option (in Node: `import WebSocket from "ws"`).',
      );
    if (this._m.status === 'closing') {
      // The close in progress completes now (its `close` event included); the old transport
      // finishes its handshake in the background, detached, and its timer goes with it.
      this._endConnection(true);
      this._finish(this._closing ?? { code: 1000, reason: '', wasClean: true });
      if (this._disposed || (this._m.status as Status) !== 'closed') return; // a listener took over
    }
    this._endConnection(true);
    this._clearTimers(); // a change of course: whatever an earlier status had pending is stale
    this._closing = undefined;
    this._retries = 0;
    if (this._o.network && !this._stopNetwork)
      this._stopNetwork = watchNetwork(() => this._retryNow());
    const generation = this._connection;
    this._m.to('connecting');
    if (generation === this._connection) this._attempt(); // unless a status listener took over
  }

  /** Drops the current connection (if any) and reconnects at once, with a fresh attempt count. */
  reconnect(): void {
    this._alive();
    const s = this._m.status;
    if (s === 'idle' || s === 'closed' || s === 'closing') return this.connect();
    this._clearTimers();
    this._endConnection(true, 1000, 'reconnect');
    this._retries = 0;
    this._attempting = false;
    const generation = this._connection;
    if (s === 'open') {
      const info = { code: 1000, reason: 'reconnect', wasClean: true };
      this._m.to('reconnecting');
      if (generation !== this._connection) return this._closeOverridden(info);
      this._emitClose(info, true);
      if (generation !== this._connection) return;
    }
    this._attempt();
  }

  /** Closes, rejects pending requests, and removes every listener and timer. Final. */
  dispose(): void {
    if (this._disposed) return;
    // First, so listeners of the final events below cannot start anything new.
    this._disposed = true;
    this._requests.rejectAll(
      fail('ERR_CLOSED', 'The socket was disposed before the request was answered.'),
    );
    this._clearTimers();
    const wasActive = this._m.status !== 'idle' && this._m.status !== 'closed';
    this._endConnection(true);
    if (wasActive) this._finish(this._closing ?? { code: 1000, reason: '', wasClean: true });
    this._stopNetwork?.();
    this._stopNetwork = undefined;
    this._stopWatchers();
    this._queue?.clear();
    this._handlers.clear();
    this._dom.clear();
    this.removeAllListeners();
    this.onopen = null;
    this.onmessage = null;
    this.onerror = null;
    this.onclose = null;
  }

  // ── Messaging (DESIGN §3) ───────────────────────────────────────────────────────

  /**
   * Sends the envelope `{ type, data }`, queued like `send`. `data` may be left out when its
   * type admits `undefined`.
   * @example
   * ```ts
   * socket.sendJson('chat', { text: 'hello' });
   * ```
   */
  sendJson<K extends keyof Out & string>(
    type: K,
    ...data: SendJsonArgs<Out[K]>
  ): 'sent' | 'queued' | 'dropped';
  sendJson(type: string, data?: unknown): 'sent' | 'queued' | 'dropped' {
    return this._send(encodeWith(this._codec, { type, data }));
  }

  /**
   * Calls `handler(data, envelope)` for every incoming envelope of `type` (replies to
   * requests excluded); `'*'` receives every envelope, typed as the union of `In`'s envelopes
   * (checking `envelope.type` narrows `envelope.data`). Returns the unsubscribe function.
   * @example
   * ```ts
   * const off = socket.onMessage('chat', (data) => console.log(data.text));
   * off();
   * ```
   */
  onMessage(type: '*', handler: (envelope: EnvelopeOf<In>) => void): () => void;
  onMessage<K extends keyof In & string>(type: K, handler: MessageHandler<In[K], K>): () => void;
  onMessage(type: string, handler: (...args: never[]) => void): () => void {
    let set = this._handlers.get(type);
    if (!set) {
      set = new Set();
      this._handlers.set(type, set);
    }
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this._handlers.get(type) === set) this._handlers.delete(type);
    };
  }

  /**
   * Sends a request and resolves with the reply's `data`. At-least-once: a request
   * unanswered when the connection drops is sent again, same id, after the reconnect.
   * Rejects with `ERR_TIMEOUT`, `ERR_ABORTED`, `ERR_CLOSED`, `ERR_REMOTE` (server error
   * reply) or `ERR_QUEUE_FULL`. `data` may be left out when its type admits `undefined`.
   * @example
   * ```ts
   * const total = await socket.request('sum', { a: 1, b: 2 }, { timeout: 5000 });
   * const pong = await socket.request('ping');
   * ```
   */
  request<K extends keyof Req & string>(
    type: K,
    ...args: RequestArgs<RequestData<Req[K]>>
  ): Promise<Req[K]['reply']>;
  request<K extends keyof Req & string>(
    type: K,
    data?: RequestData<Req[K]>,
    options: RequestOptions = {},
  ): Promise<Req[K]['reply']> {
    if (this._disposed) return Promise.reject(fail('ERR_CLOSED', 'The socket was disposed.'));
    const s = this._m.status;
    // close() rejected every pending request; one made after it would wait for a connect()
    // that may never come, so it settles now the same way.
    if (s === 'closing' || s === 'closed')
      return Promise.reject(
        fail(
          'ERR_CLOSED',
          `Cannot send request "${type}": the socket is ${s}. Call connect() first.`,
        ),
      );
    const requests = this._requests;
    const id = requests.nextId();
    let frame: SendData;
    try {
      frame = encodeWith(this._codec, { type, id, data });
    } catch (error) {
      return Promise.reject(error);
    }
    const promise = requests.add(
      id,
      frame,
      type,
      options,
      options.timeout ?? this._o.requestTimeout,
    );
    if (!options.signal?.aborted) {
      try {
        const result = this._send(frame, { id, type });
        if (result === 'sent') requests.sent(id, this._connection);
      } catch (error) {
        requests.settle(id, undefined, error as Error);
      }
    }
    return promise as Promise<Req[K]['reply']>;
  }

  /** Empties the send queue without `drop` events; queued requests reject with `ERR_ABORTED`. */
  clearQueue(): void {
    for (const message of this._queue?.clear() ?? []) message.onDrop?.('cleared');
  }

  // ── Native-style listeners ─────────────────────────────────────────────────────

  /** Like `WebSocket.addEventListener` for `open`, `message`, `error` and `close`. */
  addEventListener(
    type: 'open' | 'message' | 'error' | 'close',
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    this._dom.add(type, listener, options);
  }

  /** Like `WebSocket.removeEventListener`. */
  removeEventListener(
    type: 'open' | 'message' | 'error' | 'close',
    listener: EventListenerOrEventListenerObject | null,
  ): void {
    this._dom.remove(type, listener);
  }

  /** Removes every `on()` listener of `event` (or of all events), DOM-style ones included. */
  override removeAllListeners(event?: keyof SocketEventMap): this {
    super.removeAllListeners(event);
    this._dom.clear(event);
    return this;
  }

  // ── Internals ──────────────────────────────────────────────────────────────────

  private _alive(): void {
    if (this._disposed) throw fail('ERR_CLOSED', 'This socket was disposed; create a new one.');
  }

  private _send(
    data: SendData,
    request?: { id: string; type: string },
  ): 'sent' | 'queued' | 'dropped' {
    // The hot path first: a disposed socket has no transport, so it never takes it.
    const ws = this._ws;
    if (ws && ws.readyState === WS_OPEN && this._m.status === 'open') {
      ws.send(data);
      return 'sent';
    }
    this._alive();
    const queue = this._queue;
    if (!queue)
      throw fail(
        'ERR_NOT_OPEN',
        `Cannot send while the socket is ${this._m.status} and queueing is off (queue: false). Wait for 'open' or enable the queue.`,
      );
    const message: QueuedMessage = { data: snapshot(data), bytes: byteLength(data), at: now() };
    if (request) {
      const { id, type } = request;
      const requests = this._requests;
      message.onSend = () => requests.sent(id, this._connection);
      message.onDrop = (reason) => requests.settle(id, undefined, droppedError(type, id, reason));
      requests.queued(id, () => queue.remove(message));
    }
    return queue.push(message);
  }

  /** Sends on the live connection only (heartbeat pings never queue). */
  private _transmit(data: SendData): void {
    if (this._ws?.readyState === WS_OPEN) this._ws.send(data);
  }

  /** One connection attempt. Precondition: status connecting/reconnecting, no transport, no timer. */
  private _attempt(): void {
    if (this._o.network && !isOnline()) {
      // No attempt is spent while offline; `online` calls _retryNow.
      this._log({ event: 'offline-wait' });
      return;
    }
    const attempt = ++this._connection;
    this._attempting = true;
    // The connect timeout covers the URL provider too, so a hung provider cannot stall us.
    this._deadline = this._after(this._o.connectTimeout, () => this._fail(1006, 'connect timeout'));
    const input = this._input;
    if (typeof input !== 'function') return this._open(input, attempt);
    let result: ReturnType<typeof input>;
    try {
      result = input();
    } catch (error) {
      return this._attemptFailed(error, attempt);
    }
    const current = () => attempt === this._connection && this._attempting && !this._ws;
    if (result && typeof (result as Promise<unknown>).then === 'function')
      (result as Promise<string | URL>).then(
        (url) => current() && this._open(url, attempt),
        (error) => current() && this._attemptFailed(error, attempt),
      );
    else if (current()) this._open(result as string | URL, attempt); // the provider may have closed us
  }

  private _open(input: string | URL, attempt: number): void {
    let ws: WebSocket;
    try {
      const url = resolveUrl(input);
      this._url = url;
      const p = this._o.protocols;
      const protocols = typeof p === 'function' ? p() : p;
      if (attempt !== this._connection) return; // the protocols function changed course
      const WS = this._o.WebSocket ?? WebSocket;
      this._log({ event: 'connecting', url, attempt: this._retries });
      ws = protocols === undefined ? new WS(url) : new WS(url, protocols);
    } catch (error) {
      return this._attemptFailed(error, attempt);
    }
    ws.binaryType = this._binaryType;
    ws.onopen = () => this._opened();
    ws.onmessage = (event) => this._message(event);
    // Like the native socket: a failed handshake or broken connection fires `error`, then `close`.
    ws.onerror = (event) =>
      this._emitError(new Error('The WebSocket connection failed.', { cause: event }));
    ws.onclose = (event) => this._closed(event);
    this._ws = ws;
  }

  /**
   * The attempt could not start (bad URL, throwing provider or constructor): report, retry.
   * Always a microtask later, so a failure of the constructor's first attempt reaches the
   * listeners attached right after `new Socket()`.
   */
  private _attemptFailed(error: unknown, attempt: number): void {
    const err = error instanceof Error ? error : new Error(String(error));
    const current = () => attempt === this._connection && this._attempting;
    queueMicrotask(() => {
      if (!current()) return;
      this._emitError(err);
      if (current()) this._fail(1006, err.message); // an error listener may have closed us
    });
  }

  private _opened(): void {
    const ws = this._ws!;
    const generation = this._connection;
    clearTimeout(this._deadline);
    this._deadline = undefined;
    this._attempting = false;
    this._openedAt = now();
    const reconnected = this._opens++ > 0;
    // Requests in flight on the previous connection go first: they were sent before anything
    // still queued. Both go out before `open` fires, so later sends keep their order.
    for (const [id, frame] of this._requests.unanswered(generation)) {
      ws.send(frame as SendData);
      this._requests.sent(id, generation);
    }
    const queue = this._queue;
    while (queue) {
      const message = queue.take(now()); // may emit `drop` (expired), and a listener may act
      if (generation !== this._connection) {
        // close(), reconnect() or dispose() from a listener: the rest waits for the next connection.
        if (message && !this._disposed) queue.putBack(message);
        return;
      }
      if (!message) break;
      ws.send(message.data);
      message.onSend?.();
    }
    this._hb?.start();
    if (this._o.wake) this._stopWake = watchWake((sleptMs) => this._woke(sleptMs));
    this._m.to('open');
    if (generation !== this._connection) return; // a status listener changed course
    this._log({ event: 'open', url: this._url, attempt: this._retries });
    const event = {
      type: 'open' as const,
      attempt: this._retries,
      reconnected,
      target: this,
      currentTarget: this,
    };
    this.emit('open', event);
    if (generation === this._connection) this._dom.call('open', event);
  }

  private _message(native: MessageEvent): void {
    this._hb?.seen();
    const event = messageEvent(native, this);
    this._emit('message', event);
    this._dom.call('message', event);
    if (this._handlers.size === 0 && this._requests.size === 0 && !this._hb?.awaitingPong) return;
    let envelope: Envelope | undefined;
    try {
      envelope = this._codec.decode(native.data);
    } catch (error) {
      // A custom codec broke its promise not to throw: say so rather than lose the frame silently.
      return this._emitError(
        new LifelineError(
          'ERR_INVALID_MESSAGE',
          `The codec could not decode an incoming frame: ${(error as Error)?.message ?? error}`,
          undefined,
          error,
        ),
      );
    }
    if (!envelope) return;
    if (envelope.re !== undefined) {
      this._requests.reply(envelope);
      return;
    }
    // Protocol frames (heartbeat pongs, stream control) are Lifeline's, not the app's.
    if (isProtocolType(envelope.type)) {
      if (envelope.type === 'pong' && this._hb) this.latency = this._hb.pong() ?? this.latency;
      return;
    }
    this._route(envelope.type, envelope.data, envelope);
    this._route('*', envelope);
  }

  /** Calls the `onMessage` handlers of `type`; a copy only when several could unsubscribe. */
  private _route(type: string, a: unknown, b?: unknown): void {
    const handlers = this._handlers.get(type) as Set<(a: unknown, b?: unknown) => void> | undefined;
    if (!handlers) return;
    if (handlers.size === 1) for (const fn of handlers) safeCall(fn, this, a, b);
    else for (const fn of [...handlers]) safeCall(fn, this, a, b);
  }

  private _closed(event: { code: number; reason: string; wasClean: boolean }): void {
    this._endConnection(false);
    this._handleClose({ code: event.code, reason: event.reason, wasClean: event.wasClean });
  }

  /** The connection failed or died on our side (timeouts): close it and decide what next. */
  private _fail(code: number, reason: string): void {
    this._endConnection(true, code === 1006 ? 1000 : code, reason);
    this._handleClose({ code, reason, wasClean: false });
  }

  private _handleClose(info: CloseInfo): void {
    clearTimeout(this._deadline);
    this._deadline = undefined;
    this._attempting = false;
    this._log({ event: 'closed', ...info });
    if (this._m.status === 'closing' || !this._m.active) return this._finish(info);
    if (this._openedAt && now() - this._openedAt >= this._o.reconnect.resetAfter) this._retries = 0;
    this._openedAt = 0;
    const policy = this._o.reconnect;
    const generation = this._connection;
    let retry = false;
    try {
      retry = this._o.reconnectEnabled && (policy.shouldReconnect ?? defaultShouldReconnect)(info);
    } catch (error) {
      reportListenerError(error);
    }
    if (generation !== this._connection) return; // shouldReconnect called close() or the like
    const attempt = this._retries + 1;
    if (!retry || attempt > policy.maxAttempts) {
      this._requests.rejectAll(
        fail('ERR_CLOSED', `The connection closed (${info.code}) and will not reconnect.`),
      );
      this._finish(info);
      if (retry && this._m.status === 'closed')
        this.emit('giveup', { attempts: this._retries, lastClose: info });
      return;
    }
    this._retries = attempt;
    const delay = backoffDelay(attempt, policy);
    this._retryTimer = this._after(delay, () => {
      this._retryTimer = undefined;
      this._attempt();
    });
    this._m.to('reconnecting');
    if (generation !== this._connection) return this._closeOverridden(info);
    this._emitClose(info, true);
    if (generation !== this._connection) return;
    this._log({ event: 'retry', attempt, delay });
    this.emit('reconnecting', { attempt, delay });
  }

  /** Moves to `closed` and emits `close` with willReconnect false. */
  private _finish(info: CloseInfo): void {
    this._clearTimers();
    this._stopNetwork?.();
    this._stopNetwork = undefined;
    const generation = this._connection;
    this._m.to('closed');
    if (generation === this._connection) this._emitClose(info, false);
    else this._closeOverridden(info);
  }

  /**
   * A status listener changed course mid-transition. The connection that ended still gets
   * its `close` event, worded for the status now: while a new attempt is under way it says
   * `willReconnect: true`; a pending `close()` (closing) or a `dispose()` (closed) reports
   * the close itself.
   */
  private _closeOverridden(info: CloseInfo): void {
    const s = this._m.status;
    if (s === 'connecting' || s === 'reconnecting') this._emitClose(info, true);
  }

  private _emitClose(info: CloseInfo, willReconnect: boolean): void {
    const generation = this._connection;
    const event: CloseEvent = {
      type: 'close',
      ...info,
      willReconnect,
      target: this,
      currentTarget: this,
    };
    this.emit('close', event);
    if (generation === this._connection) this._dom.call('close', event);
  }

  private _emitError(error: Error): void {
    this._log({ event: 'error', code: (error as LifelineError).code, message: error.message });
    this.emit('error', error);
    this._dom.call('error', error);
  }

  /** `online`, or the page became visible: skip the rest of a backoff wait. */
  private _retryNow(): void {
    if (this._ws || this._attempting || !this._m.active || this._m.status === 'open') return;
    clearTimeout(this._retryTimer);
    this._retryTimer = undefined;
    this._attempt();
  }

  private _woke(sleptMs: number): void {
    this._log({ event: 'wake', sleptMs });
    this.emit('wake', { sleptMs });
    if (this._m.status !== 'open') return;
    // With a heartbeat, a ping proves the connection within `timeout`; without one, nothing
    // can, so start over.
    if (this._hb) this._hb.probe();
    else this.reconnect();
  }

  /**
   * A timer that belongs to the current generation: if anything changes course before it
   * fires, it does nothing. Delays `setTimeout` cannot hold (Infinity, over 2^31−1 ms) mean
   * "never": no timer, rather than one that fires at once.
   */
  private _after(ms: number, fn: () => void): Timer | undefined {
    if (!(ms <= MAX_DELAY)) return undefined;
    const generation = this._connection;
    return setTimeout(() => {
      if (generation === this._connection) fn();
    }, ms);
  }

  private _stopWatchers(): void {
    this._hb?.stop();
    this._stopWake?.();
    this._stopWake = undefined;
  }

  /** Detaches (and, when `close`, closes) the current transport; stops its watchers. */
  private _endConnection(close: boolean, code = 1000, reason = ''): void {
    this._stopWatchers();
    const ws = this._ws;
    if (!ws) return;
    this._ws = undefined;
    ws.onopen = null;
    ws.onmessage = null;
    if (ws.readyState === 3) {
      ws.onerror = null;
      ws.onclose = null;
    } else {
      // Until it has really closed, an abandoned transport keeps a no-op `error` handler:
      // Node's `ws` emits `error` when closed while connecting, and an EventEmitter `error`
      // without a listener would crash the process. Once closed, it lets go of both.
      ws.onerror = ignore;
      ws.onclose = () => {
        ws.onerror = null;
        ws.onclose = null;
      };
    }
    if (close && ws.readyState < 2) {
      try {
        ws.close(code, reason);
      } catch {
        ws.close(); // some transports reject application codes while connecting
      }
    }
  }

  private _clearTimers(): void {
    clearTimeout(this._retryTimer);
    clearTimeout(this._deadline);
    this._retryTimer = undefined;
    this._deadline = undefined;
    this._connection++; // an attempt still waiting on an async URL provider is now stale
  }
}

/**
 * Same as `new Socket(url, options)`.
 * @example
 * ```ts
 * const socket = createSocket(() => `wss://api.example.com/ws?token=${getToken()}`);
 * ```
 */
export function createSocket<
  In extends MessageMap = Untyped,
  Out extends JsonMessageMap<Out> = Untyped,
  Req extends JsonRequestMap<Req> = Untyped,
>(url: UrlInput, options?: SocketOptions): Socket<In, Out, Req> {
  return new Socket<In, Out, Req>(url, options);
}
