// The messaging layer: the reconnecting socket plus JSON envelopes, request/reply and the
// heartbeat, on the lifecycle's hooks. A frame is decoded in `_frame`, routed in `_deliver`;
// streams (socket.ts) take theirs through `_claims`, validation (validation/) via `_inbound`.
import { decodeWith, type Envelope, encodeWith, isProtocolType, jsonCodec } from './envelope';
import { Heartbeat } from './heartbeat';
import { addHandler, type HandlerTable, routeEnvelope } from './message-handlers';
import {
  type Codec,
  type MessagingSettings,
  resolveMessaging,
  type SocketOptions,
} from './messaging-options';
import type { CloseInfo } from './policy';
import type { SendData } from './queue';
import { ReconnectingSocket } from './reconnecting-socket';
import { closedError, type RequestOptions, Requests, refuse } from './requests';
import { WS_OPEN } from './transport';
import type {
  EnvelopeOf,
  JsonMessageMap,
  JsonRequestMap,
  MessageHandler,
  MessageMap,
  RequestArgs,
  RequestData,
  SendJsonArgs,
  Untyped,
} from './types';
import type { UrlInput } from './url';
import { Inbound } from './validation/inbound';
import { type SchemaTable, schemaTable, streamTables } from './validation/schemas';
import type { ReplyOf, ReplySchema } from './validation/types';

/**
 * {@link Socket} without stream subscriptions: the reconnecting socket plus typed JSON
 * envelopes, request/reply and the heartbeat. `Socket` is the one to use; this layer exists
 * so an ESM bundle that never subscribes can leave streams out (see the builds guide).
 *
 * @typeParam In - incoming message `type` → `data` (a type alias or an interface)
 * @typeParam Out - outgoing message `type` → `data`, which must be JSON (no `bigint`, function,
 *   `Map`, `Set` or symbol)
 * @typeParam Req - request `type` → `{ data, reply }`, `data` JSON as in `Out`
 *
 * @example
 * ```ts
 * const socket = new MessagingSocket('wss://api.example.com/ws', { heartbeat: true });
 * const sum = await socket.request('sum', { a: 1, b: 2 });
 * ```
 */
export class MessagingSocket<
  In extends MessageMap = Untyped,
  Out extends JsonMessageMap<Out> = Untyped,
  Req extends JsonRequestMap<Req> = Untyped,
> extends ReconnectingSocket {
  /** Round trip of the last heartbeat ping → `{"type":"pong"}`, in ms. */
  latency: number | undefined;
  private _messaging: MessagingSettings;
  /** `onMessage` handlers by type, made on the first one. */
  private _handlers: HandlerTable | undefined;
  /** Pending requests, made on the first request. */
  private _requests: Requests | undefined;
  private _hb: Heartbeat | undefined;
  /**
   * Set by a layer above (streams) to take the envelopes it owns before routing; while set,
   * every frame is decoded.
   */
  protected _claims: ((envelope: Envelope) => boolean) | undefined;
  /** Validation (`schemas`, `streamSchemas`, a request's `schema`), made when first needed. */
  protected _inbound: Inbound | undefined;

  /**
   * @param url - `ws(s)://`, `http(s)://` or relative URL, or a function called before every
   *   attempt (may be async) that returns one.
   * @throws LifelineError `ERR_INVALID_URL` / `ERR_INVALID_OPTION` / `ERR_NO_WEBSOCKET`
   */
  constructor(url: UrlInput, options?: SocketOptions<In>) {
    // Validated before the reconnecting socket may start its first attempt.
    const messaging = resolveMessaging(options);
    const schemas = schemaTable('schemas', options?.schemas);
    const streams = streamTables(options?.streamSchemas);
    super(url, options);
    this._messaging = messaging;
    if (schemas || streams) this._validation(schemas, streams);
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
    return this.send(encodeWith(this._codec(), { type, data }));
  }

  /**
   * Calls `handler(data, envelope)` for every incoming envelope of `type` (replies to
   * requests and protocol frames excluded); `'*'` receives every such envelope, typed as the
   * union of `In`'s envelopes (checking `envelope.type` narrows `envelope.data`). Returns the
   * unsubscribe function.
   * @example
   * ```ts
   * const off = socket.onMessage('chat', (data) => console.log(data.text));
   * off();
   * ```
   */
  onMessage(type: '*', handler: (envelope: EnvelopeOf<In>) => void): () => void;
  onMessage<K extends keyof In & string>(type: K, handler: MessageHandler<In[K], K>): () => void;
  onMessage(type: string, handler: (...args: never[]) => void): () => void {
    this._handlers ??= new Map();
    return addHandler(this._handlers, type, handler as never);
  }

  /**
   * Sends a request and resolves with the reply's `data`. At-least-once: a request
   * unanswered when the connection drops is sent again, same id, after the reconnect.
   * Rejects with `ERR_TIMEOUT`, `ERR_ABORTED`, `ERR_CLOSED`, `ERR_REMOTE` (server error
   * reply), `ERR_QUEUE_FULL` or, when the reply fails `options.schema`, `ERR_INVALID_MESSAGE`
   * (with the `issues`). `data` may be left out when its type admits `undefined`.
   * @example
   * ```ts
   * const total = await socket.request('sum', { a: 1, b: 2 }, { timeout: 5000 });
   * const pong = await socket.request('ping');
   * const user = await socket.request('user', { id: 7 }, { schema: User }); // typed as User
   * ```
   */
  request<K extends keyof Req & string, S extends ReplySchema<Req[K]['reply']> = undefined>(
    type: K,
    ...args: RequestArgs<RequestData<Req[K]>, S>
  ): Promise<ReplyOf<S, Req[K]['reply']>>;
  request(type: string, data?: unknown, options: RequestOptions = {}): Promise<unknown> {
    let requests: Requests;
    let id: string;
    let frame: SendData;
    try {
      refuse(this._disposed, this._status, type, options.schema);
      if (options.schema) this._validation();
      requests = this._requestIds();
      id = requests.nextId();
      frame = encodeWith(this._codec(), { type, id, data });
    } catch (error) {
      return Promise.reject(error); // a request never throws: every failure is a rejection
    }
    const timeout = options.timeout ?? this._messaging.requestTimeout;
    const promise = requests.add(id, frame, type, options, timeout);
    if (!options.signal?.aborted) {
      this._requested(id, type, frame, promise);
      try {
        this._sendRequest(requests, id, type, frame);
      } catch (error) {
        requests._settle(id, undefined, error as Error);
      }
    }
    return promise;
  }

  /** Closes, rejects pending requests, and removes every listener, handler and timer. Final. */
  override dispose(): void {
    super.dispose();
    this._handlers = undefined;
  }

  // ── Hooks into the lifecycle ─────────────────────────────────────────────────────

  /** Requests in flight on the previous connection go first: they were sent before the queue. */
  protected override _flush(ws: WebSocket, generation: number): boolean {
    this._requests?._resend(ws, generation);
    return super._flush(ws, generation);
  }

  protected override _started(): void {
    const settings = this._messaging.heartbeat;
    if (!settings) return;
    this._hb ??= new Heartbeat(
      settings,
      (ping) => {
        // Pings go out on the live connection only; they never queue.
        if (this._ws?.readyState === WS_OPEN) this._ws.send(ping);
      },
      () => this._fail(4000, 'heartbeat timeout'),
    );
    this._hb._start();
  }

  protected override _stopped(): void {
    this._hb?._stop();
  }

  protected override _probe(): void {
    // With a heartbeat, a ping proves the connection within `timeout`; without one, nothing
    // can, so the reconnecting socket starts over.
    if (this._hb) this._hb._probe();
    else super._probe();
  }

  protected override _settleAll(why: CloseInfo | 'closed' | 'disposed'): void {
    // Verdicts still pending, and what waits behind them, are never delivered.
    this._inbound?._order._reset();
    if (this._requests?.size) this._requests._rejectAll(closedError(why));
  }

  /** Where a frame arrives: the raw `message` event, then decoding and routing. */
  protected override _frame(native: MessageEvent): void {
    const hb = this._hb;
    hb?._seen();
    this._dispatchMessage(native);
    const claims = this._claims;
    if (!this._handlers && !this._requests?.size && !hb?._awaitingPong && !claims) return;
    let envelope: Envelope | undefined;
    try {
      envelope = decodeWith(this._codec(), native.data);
    } catch (error) {
      return this._emitError(error as Error); // never lose a frame silently
    }
    if (!envelope) return;
    const order = this._inbound?._order;
    if (order?._holding) order._hold(envelope);
    else this._deliver(envelope);
  }

  /** Routes a decoded envelope: streams take theirs, then replies, then `onMessage` handlers. */
  private _deliver(envelope: Envelope): void {
    if (this._claims?.(envelope)) return;
    const inbound = this._inbound;
    if (envelope.re !== undefined) {
      if (inbound) inbound._reply(this._requests, envelope);
      else this._requests?._reply(envelope);
      return;
    }
    // Stream messages are for subscriptions (socket.ts), never for onMessage handlers.
    if (envelope.stream !== undefined) return;
    // Protocol frames (heartbeat pongs, stream control) are Lifeline's, not the app's.
    if (isProtocolType(envelope.type)) {
      if (envelope.type === 'pong' && this._hb) this.latency = this._hb._pong() ?? this.latency;
      return;
    }
    const schema = inbound?._schemas?.get(envelope.type);
    if (schema)
      inbound!._message(schema, envelope, (valid) => routeEnvelope(this._handlers, this, valid));
    else routeEnvelope(this._handlers, this, envelope);
  }

  /** A new request, before its first send; the last argument is its promise (persist keeps it). */
  protected _requested(_id: string, _type: string, _frame: SendData, _p: Promise<unknown>): void {}

  // ── Internals ────────────────────────────────────────────────────────────────────

  /** The transport, when a frame can go out on it now (the socket open, the transport too). */
  protected _liveTransport(): WebSocket | undefined {
    return this._live?.readyState === WS_OPEN ? this._live : undefined;
  }

  protected _codec(): Codec {
    return this._messaging.codec ?? jsonCodec;
  }

  /** The validation layer, made on first use (the `schemas` options, or a request's `schema`). */
  protected _validation(schemas?: SchemaTable, streams?: Array<[string, SchemaTable]>): Inbound {
    this._inbound ??= new Inbound(schemas, streams, {
      _deliver: (envelope) => this._deliver(envelope),
      _report: (event, error) =>
        this._hasListeners('invalid') ? this.emit('invalid', event) : this._emitError(error()),
    });
    return this._inbound;
  }

  /** The pending requests, which also hand out request ids (made on first use). */
  protected _requestIds(): Requests {
    this._requests ??= new Requests();
    return this._requests;
  }

  /** Sends a request frame now when open, else queues it with what settles it when dropped. */
  private _sendRequest(requests: Requests, id: string, type: string, frame: SendData): void {
    const ws = this._liveTransport();
    if (ws) {
      ws.send(frame);
      requests._sent(id, this._connection);
      return;
    }
    const message = requests.queuedFrame(id, type, frame, () => this._connection);
    // A request that settles while queued (timeout, abort, close) leaves the queue at once.
    requests.queued(id, () => this._queue?.remove(message));
    this._enqueue(message);
  }
}
