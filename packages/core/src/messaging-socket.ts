// The messaging layer: the reconnecting socket (reconnecting-socket.ts) plus JSON envelopes,
// request/reply and the heartbeat. It plugs into the lifecycle's hooks; where a frame is
// decoded and routed: `_frame`. Socket (socket.ts) adds streams on top through `_claims`.
import { DEV } from './dev';
import { safeCall } from './emitter';
import { decodeWith, type Envelope, encodeWith, isProtocolType, jsonCodec } from './envelope';
import { fail } from './errors';
import { Heartbeat } from './heartbeat';
import {
  type Codec,
  type MessagingSettings,
  resolveMessaging,
  type SocketOptions,
} from './messaging-options';
import type { CloseInfo } from './policy';
import type { SendData } from './queue';
import { ReconnectingSocket } from './reconnecting-socket';
import { closedError, type RequestOptions, Requests } from './requests';
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

type Handler = (a: unknown, b?: unknown) => void;

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
  private _handlers: Map<string, Set<Handler>> | undefined;
  /** Pending requests, made on the first request. */
  private _requests: Requests | undefined;
  private _hb: Heartbeat | undefined;
  /**
   * Set by a layer above (streams) to take the envelopes it owns before routing; while set,
   * every frame is decoded.
   */
  protected _claims: ((envelope: Envelope) => boolean) | undefined;

  /**
   * @param url - `ws(s)://`, `http(s)://` or relative URL, or a function called before every
   *   attempt (may be async) that returns one.
   * @throws LifelineError `ERR_INVALID_URL` / `ERR_INVALID_OPTION` / `ERR_NO_WEBSOCKET`
   */
  constructor(url: UrlInput, options?: SocketOptions) {
    // Validated before the reconnecting socket may start its first attempt.
    const messaging = resolveMessaging(options);
    super(url, options);
    this._messaging = messaging;
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
    const handlers = this._handlers;
    let set = handlers.get(type);
    if (!set) {
      set = new Set();
      handlers.set(type, set);
    }
    set.add(handler as Handler);
    return () => {
      set.delete(handler as Handler);
      if (set.size === 0 && handlers.get(type) === set) handlers.delete(type);
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
    if (this._disposed)
      return Promise.reject(fail('ERR_CLOSED', DEV ? 'The socket was disposed.' : ''));
    const s = this._status;
    // close() rejected every pending request; one made after it would wait for a connect()
    // that may never come, so it settles now the same way.
    if (s === 'closing' || s === 'closed')
      return Promise.reject(
        fail(
          'ERR_CLOSED',
          DEV ? `Cannot send request "${type}": the socket is ${s}. Call connect() first.` : '',
        ),
      );
    const requests = this._requestIds();
    const id = requests.nextId();
    let frame: SendData;
    try {
      frame = encodeWith(this._codec(), { type, id, data });
    } catch (error) {
      return Promise.reject(error);
    }
    const timeout = options.timeout ?? this._messaging.requestTimeout;
    const promise = requests.add(id, frame, type, options, timeout);
    if (!options.signal?.aborted) {
      this._requested(id, type, frame, promise);
      try {
        this._sendRequest(requests, id, type, frame);
      } catch (error) {
        requests.settle(id, undefined, error as Error);
      }
    }
    return promise as Promise<Req[K]['reply']>;
  }

  /** Closes, rejects pending requests, and removes every listener, handler and timer. Final. */
  override dispose(): void {
    super.dispose();
    this._handlers = undefined;
  }

  // ── Hooks into the lifecycle ─────────────────────────────────────────────────────

  /** Requests in flight on the previous connection go first: they were sent before the queue. */
  protected override _flush(ws: WebSocket, generation: number): boolean {
    const requests = this._requests;
    if (requests)
      for (const [id, frame] of requests.unanswered(generation)) {
        ws.send(frame as SendData);
        requests.sent(id, generation);
      }
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
    this._hb.start();
  }

  protected override _stopped(): void {
    this._hb?.stop();
  }

  protected override _probe(): void {
    // With a heartbeat, a ping proves the connection within `timeout`; without one, nothing
    // can, so the reconnecting socket starts over.
    if (this._hb) this._hb.probe();
    else super._probe();
  }

  protected override _settleAll(why: CloseInfo | 'closed' | 'disposed'): void {
    if (this._requests?.size) this._requests.rejectAll(closedError(why));
  }

  /** Where a frame arrives: the raw `message` event, then decoding and routing. */
  protected override _frame(native: MessageEvent): void {
    const hb = this._hb;
    hb?.seen();
    this._dispatchMessage(native);
    const claims = this._claims;
    if (!this._handlers && !this._requests?.size && !hb?.awaitingPong && !claims) return;
    let envelope: Envelope | undefined;
    try {
      envelope = decodeWith(this._codec(), native.data);
    } catch (error) {
      return this._emitError(error as Error); // never lose a frame silently
    }
    if (!envelope || claims?.(envelope)) return;
    if (envelope.re !== undefined) {
      this._requests?.reply(envelope);
      return;
    }
    // Stream messages are for subscriptions (socket.ts), never for onMessage handlers.
    if (envelope.stream !== undefined) return;
    // Protocol frames (heartbeat pongs, stream control) are Lifeline's, not the app's.
    if (isProtocolType(envelope.type)) {
      if (envelope.type === 'pong' && hb) this.latency = hb.pong() ?? this.latency;
      return;
    }
    this._route(envelope.type, envelope.data, envelope);
    this._route('*', envelope);
  }

  /** A new request, before its first send; `settled` is its promise (persist keeps it durable). */
  protected _requested(
    _id: string,
    _type: string,
    _frame: SendData,
    _settled: Promise<unknown>,
  ): void {}

  // ── Internals ────────────────────────────────────────────────────────────────────

  protected _codec(): Codec {
    return this._messaging.codec ?? jsonCodec;
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
      requests.sent(id, this._connection);
      return;
    }
    const message = requests.queuedFrame(id, type, frame, () => this._connection);
    // A request that settles while queued (timeout, abort, close) leaves the queue at once.
    requests.queued(id, () => this._queue?.remove(message));
    this._enqueue(message);
  }

  /** Calls the `onMessage` handlers of `type`; a copy only when several could unsubscribe. */
  private _route(type: string, a: unknown, b?: unknown): void {
    const handlers = this._handlers?.get(type);
    if (!handlers) return;
    if (handlers.size === 1) for (const fn of handlers) safeCall(fn, this, a, b);
    else for (const fn of [...handlers]) safeCall(fn, this, a, b);
  }
}
