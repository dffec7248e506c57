// The full Socket: the messaging socket (messaging-socket.ts: envelopes, requests, heartbeat)
// plus stream subscriptions with resume (streams.ts). It plugs into the same hooks: it claims
// subscribe replies and stream messages, subscribes first on every open, and forgets
// subscribes in flight when the connection ends. It builds on persist/durable-socket.ts (the
// `persist` option), which hands it stream positions from before a reload.
import { encodeWith } from './envelope';
import type { Status } from './machine';
import type { SocketOptions } from './messaging-options';
import { DurableSocket } from './persist/durable-socket';
import type { CloseInfo } from './policy';
import { type ShareSession, shareSession } from './share/session';
import { StreamRegistry } from './streams';
import type { Subscription } from './subscription';
import type {
  JsonMessageMap,
  JsonRequestMap,
  MessageMap,
  Role,
  StreamHandler,
  StreamMap,
  StreamPosition,
  SubscribeOptions,
  Untyped,
} from './types';
import type { UrlInput } from './url';

/**
 * A WebSocket that does not drop the ball: a drop-in for the native `WebSocket` that
 * reconnects with backoff, queues what is sent while down, detects dead connections, speaks
 * typed JSON envelopes with request/reply and subscribes to streams that resume after every
 * drop. For a reconnecting socket without messaging, import the smaller
 * {@link ReconnectingSocket}.
 *
 * @typeParam In - incoming message `type` → `data` (a type alias or an interface)
 * @typeParam Out - outgoing message `type` → `data`, which must be JSON (no `bigint`, function,
 *   `Map`, `Set` or symbol)
 * @typeParam Req - request `type` → `{ data, reply }`, `data` JSON as in `Out`
 * @typeParam Streams - stream name or pattern (`` `room:${string}` ``) → its message map
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
  Streams extends StreamMap = Untyped,
> extends DurableSocket<In, Out, Req> {
  /** Stream subscriptions, made on the first `subscribe()`. */
  private _streams: StreamRegistry | undefined;
  /** With `share`: this tab's part in the shared connection (share/session.ts). */
  private _share: ShareSession | undefined;

  /**
   * @param url - `ws(s)://`, `http(s)://` or relative URL, or a function called before every
   *   attempt (may be async) that returns one.
   * @throws LifelineError `ERR_INVALID_URL` / `ERR_INVALID_OPTION` / `ERR_NO_WEBSOCKET`
   */
  constructor(url: UrlInput, options?: SocketOptions<In>) {
    // Sharing swaps only the transport: every attempt goes through the leader tab's hub.
    const share = options && shareSession(url, options);
    super(url, share ? { ...options, WebSocket: share.WebSocket } : options);
    this._share = share;
    share?.start({ online: () => this._online(), role: (role) => this.emit('role', role) });
  }

  /** With `share`: `'leader'` (this tab owns the connection) or `'follower'`; else `'solo'`. */
  get role(): Role {
    return this._share?.role ?? 'solo';
  }

  /**
   * Subscribes to a stream (DESIGN §8): `handler(data, message)` gets its messages in order,
   * resumed after every reconnect without gaps or duplicates within an epoch (`gap` and
   * `resync` events say when that needed work). Several handles of one stream share one
   * subscription. It outlives `close()`/`connect()`; `dispose()` closes it.
   * @throws LifelineError `ERR_INVALID_OPTION` (stream not a non-empty string, handler not a
   *   function), `ERR_INVALID_MESSAGE` (`options.data` the codec cannot encode), `ERR_CLOSED`
   *   (disposed)
   * @example
   * ```ts
   * const room = socket.subscribe('room:42', (data, message) => render(message.type, data));
   * room.on('resync', () => reloadRoom());
   * room.unsubscribe();
   * ```
   */
  subscribe<S extends keyof Streams & string>(
    stream: S,
    handler?: StreamHandler<Streams[S]>,
    options?: SubscribeOptions,
  ): Subscription<Streams[S]> {
    this._alive();
    if (!this._streams) {
      const streams = new StreamRegistry({
        // One id space with requests: servers dedupe by id.
        _nextId: () => this._requestIds().nextId(),
        // `persist`: where the previous page of this tab left the stream.
        _since: this._resumeAt,
        _encode: (envelope) => encodeWith(this._codec(), envelope),
        _live: () => this._liveTransport(),
        _error: (error) => this._emitError(error),
        // `streamSchemas` (validation/): made with the socket when it has any.
        _validation: this._inbound,
      });
      this._streams = streams;
      this._claims = (envelope) => streams._claim(envelope);
    }
    return this._streams._subscribe(stream, handler, options);
  }

  /** `persist`: the positions to save on `pagehide`. */
  protected override _positions(): Array<[string, StreamPosition]> {
    return this._streams?._positions() ?? [];
  }

  /** Subscriptions go first on every open (DESIGN §8), before resent requests and the queue. */
  protected override _flush(ws: WebSocket, generation: number): boolean {
    this._streams?._open(ws);
    return super._flush(ws, generation);
  }

  protected override _settleAll(why: CloseInfo | 'closed' | 'disposed'): void {
    super._settleAll(why);
    if (why !== 'disposed') return;
    this._share?.dispose();
    const streams = this._streams;
    this._streams = this._claims = undefined;
    streams?._dispose();
  }

  /** Leaving `open` voids the subscribes in flight; subscriptions wait for the next open. */
  protected override _to(next: Status): void {
    const previous = this._status;
    super._to(next);
    if (previous === 'open') this._streams?._down();
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
  Streams extends StreamMap = Untyped,
>(url: UrlInput, options?: SocketOptions<In>): Socket<In, Out, Req, Streams> {
  return new Socket<In, Out, Req, Streams>(url, options);
}
