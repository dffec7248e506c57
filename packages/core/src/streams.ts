// A socket's stream subscriptions (DESIGN §8): one wire subscription per stream, shared by its
// handles; subscribe frames sent at once when open and again on every open (never queued),
// replies matched by id, stream messages routed by name.
import { DEV } from './dev';
import type { Envelope } from './envelope';
import { fail } from './errors';
import type { SendData } from './queue';
import { type StreamHost, StreamState } from './stream-state';
import { Subscription } from './subscription';
import type { StreamPosition, SubscribeOptions } from './types';
import type { Checked, Issues } from './validation/check';
import type { SchemaTable } from './validation/schemas';
import type { StandardSchemaV1 } from './validation/standard-schema';

/** The socket's validation, as streams use it (`streamSchemas`, validation/inbound.ts). */
export interface StreamValidation {
  /** The schemas of `stream`'s messages, by type. */
  _streamTable(stream: string): SchemaTable | undefined;
  /** Validates; `then` runs now for a synchronous schema, else in arrival order. */
  _run(schema: StandardSchemaV1, value: unknown, then: (checked: Checked) => void): void;
  /** Emits `invalid` for a message that failed its schema. */
  _invalid(envelope: Envelope, issues: Issues): void;
}

/** What the registry borrows from its socket. */
export interface StreamSocket {
  /** A fresh id from the socket's request ids (unique across clients: servers dedupe by id). */
  _nextId(): string;
  /** Encodes with the socket's codec (throws `ERR_INVALID_MESSAGE`). */
  _encode(envelope: Envelope): SendData;
  /** The transport when a frame can go out now. */
  _live(): WebSocket | undefined;
  /** Emits `error` on the socket. */
  _error(error: Error): void;
  /** Where to resume `stream` from on its first subscribe (`persist`: from before a reload). */
  _since?(stream: string): StreamPosition | undefined;
  /** With `streamSchemas`: the validation of stream messages. */
  _validation?: StreamValidation;
}

// Members only the core calls are `_`-prefixed: internal, and shortened by the production
// build's property mangling (rollup.config.mjs).
/** The subscriptions of one socket. */
export class StreamRegistry implements StreamHost {
  private readonly _states = new Map<string, StreamState>();
  /** Subscribe id awaiting its reply → its subscription (current connection only). */
  private readonly _pending = new Map<string, StreamState>();

  constructor(private readonly _socket: StreamSocket) {}

  /**
   * A new handle of `stream`; the first one subscribes (now when open, else on the next open).
   * @throws LifelineError `ERR_INVALID_OPTION` (bad stream or handler), `ERR_INVALID_MESSAGE`
   *   (`options.data` the codec cannot encode)
   */
  _subscribe(
    stream: string,
    handler: unknown,
    options: SubscribeOptions | undefined,
  ): Subscription {
    if (typeof stream !== 'string' || stream === '')
      throw fail(
        'ERR_INVALID_OPTION',
        DEV ? `subscribe(stream): expected a non-empty string, got ${String(stream)}.` : '',
      );
    if (handler !== undefined && typeof handler !== 'function')
      throw fail(
        'ERR_INVALID_OPTION',
        DEV ? `subscribe("${stream}", handler): expected a function, got ${typeof handler}.` : '',
      );
    let state = this._states.get(stream);
    const first = !state;
    if (!state) {
      state = new StreamState(stream, options?.data, this, this._socket._since?.(stream));
      state._schemas = this._socket._validation?._streamTable(stream);
      // Fail here, not on some later open, when the codec cannot encode the data.
      if (state.data !== undefined) this._socket._encode(state._frame(''));
      this._states.set(stream, state);
    }
    const handle = new Subscription(stream, state);
    state._handles.push(handle);
    if (handler) handle.on('message', handler as never);
    if (first) this._resubscribe(state);
    return handle;
  }

  /** A connection opened: every subscription subscribes again from its position. */
  _open(ws: WebSocket): void {
    for (const state of this._states.values()) this._send(ws, state);
  }

  /** The connection ended: replies still in flight will never come (nor count if they do). */
  _down(): void {
    this._pending.clear();
    // A `status` listener may unsubscribe any of them.
    for (const state of [...this._states.values()]) state._down();
  }

  /**
   * Takes what belongs to streams: a subscribe reply or a stream message (never for
   * `onMessage`). Returns false for every other envelope.
   */
  _claim(envelope: Envelope): boolean {
    if (envelope.re !== undefined) return this._reply(envelope);
    if (envelope.stream === undefined) return false;
    this._message(envelope);
    return true;
  }

  /** Takes the reply to a subscribe; returns false when `envelope` answers something else. */
  _reply(envelope: Envelope): boolean {
    const state = this._pending.get(envelope.re!);
    if (!state) return false;
    this._pending.delete(envelope.re!);
    state._reply(envelope);
    return true;
  }

  /** Routes a stream message; one for a stream nobody subscribed to is ignored. */
  _message(envelope: Envelope): void {
    this._states.get(envelope.stream!)?._receive(envelope);
  }

  /** Each subscription's position, where it has one. */
  _positions(): Array<[string, StreamPosition]> {
    const positions: Array<[string, StreamPosition]> = [];
    for (const [stream, state] of this._states)
      if (state.position) positions.push([stream, state.position]);
    return positions;
  }

  /** Closes every subscription (the socket was disposed). */
  _dispose(): void {
    for (const state of [...this._states.values()]) state._close(undefined, false);
  }

  _resubscribe(state: StreamState): void {
    const ws = this._socket._live();
    if (ws) this._send(ws, state);
  }

  _remove(state: StreamState, unsubscribe: boolean): void {
    if (this._states.get(state.stream) === state) this._states.delete(state.stream);
    if (state._awaiting !== undefined) this._pending.delete(state._awaiting);
    const ws = unsubscribe && this._socket._live();
    // Never queued: the server forgets a connection's subscriptions when it closes.
    if (ws)
      ws.send(
        this._socket._encode({ type: 'unsubscribe', data: { stream: state.stream } }) as never,
      );
  }

  _error(error: Error): void {
    this._socket._error(error);
  }

  _validate(state: StreamState, schema: StandardSchemaV1, envelope: Envelope): void {
    this._socket._validation!._run(schema, envelope.data, (checked) =>
      state._checked(envelope, checked),
    );
  }

  _invalid(envelope: Envelope, issues: Issues): void {
    this._socket._validation!._invalid(envelope, issues);
  }

  private _send(ws: WebSocket, state: StreamState): void {
    if (state._awaiting !== undefined) this._pending.delete(state._awaiting);
    const id = this._socket._nextId();
    state._awaiting = id;
    this._pending.set(id, state);
    ws.send(this._socket._encode(state._frame(id)) as never);
  }
}
