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
  streamTable(stream: string): SchemaTable | undefined;
  /** Validates; `then` runs now for a synchronous schema, else in arrival order. */
  run(schema: StandardSchemaV1, value: unknown, then: (checked: Checked) => void): void;
  /** Emits `invalid` for a message that failed its schema. */
  invalid(envelope: Envelope, issues: Issues): void;
}

/** What the registry borrows from its socket. */
export interface StreamSocket {
  /** A fresh id from the socket's request ids (unique across clients: servers dedupe by id). */
  nextId(): string;
  /** Encodes with the socket's codec (throws `ERR_INVALID_MESSAGE`). */
  encode(envelope: Envelope): SendData;
  /** The transport when a frame can go out now. */
  live(): WebSocket | undefined;
  /** Emits `error` on the socket. */
  error(error: Error): void;
  /** Where to resume `stream` from on its first subscribe (`persist`: from before a reload). */
  since?(stream: string): StreamPosition | undefined;
  /** With `streamSchemas`: the validation of stream messages. */
  validation?: StreamValidation;
}

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
  subscribe(stream: string, handler: unknown, options: SubscribeOptions | undefined): Subscription {
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
      state = new StreamState(stream, options?.data, this, this._socket.since?.(stream));
      state.schemas = this._socket.validation?.streamTable(stream);
      // Fail here, not on some later open, when the codec cannot encode the data.
      if (state.data !== undefined) this._socket.encode(state.frame(''));
      this._states.set(stream, state);
    }
    const handle = new Subscription(stream, state);
    state._handles.push(handle);
    if (handler) handle.on('message', handler as never);
    if (first) this.resubscribe(state);
    return handle;
  }

  /** A connection opened: every subscription subscribes again from its position. */
  open(ws: WebSocket): void {
    for (const state of this._states.values()) this._send(ws, state);
  }

  /** The connection ended: replies still in flight will never come (nor count if they do). */
  down(): void {
    this._pending.clear();
    // A `status` listener may unsubscribe any of them.
    for (const state of [...this._states.values()]) state.down();
  }

  /**
   * Takes what belongs to streams: a subscribe reply or a stream message (never for
   * `onMessage`). Returns false for every other envelope.
   */
  claim(envelope: Envelope): boolean {
    if (envelope.re !== undefined) return this.reply(envelope);
    if (envelope.stream === undefined) return false;
    this.message(envelope);
    return true;
  }

  /** Takes the reply to a subscribe; returns false when `envelope` answers something else. */
  reply(envelope: Envelope): boolean {
    const state = this._pending.get(envelope.re!);
    if (!state) return false;
    this._pending.delete(envelope.re!);
    state.reply(envelope);
    return true;
  }

  /** Routes a stream message; one for a stream nobody subscribed to is ignored. */
  message(envelope: Envelope): void {
    this._states.get(envelope.stream!)?.receive(envelope);
  }

  /** Each subscription's position, where it has one. */
  positions(): Array<[string, StreamPosition]> {
    const positions: Array<[string, StreamPosition]> = [];
    for (const [stream, state] of this._states)
      if (state.position) positions.push([stream, state.position]);
    return positions;
  }

  /** Closes every subscription (the socket was disposed). */
  dispose(): void {
    for (const state of [...this._states.values()]) state.close(undefined, false);
  }

  resubscribe(state: StreamState): void {
    const ws = this._socket.live();
    if (ws) this._send(ws, state);
  }

  remove(state: StreamState, unsubscribe: boolean): void {
    if (this._states.get(state.stream) === state) this._states.delete(state.stream);
    if (state._awaiting !== undefined) this._pending.delete(state._awaiting);
    const ws = unsubscribe && this._socket.live();
    // Never queued: the server forgets a connection's subscriptions when it closes.
    if (ws)
      ws.send(
        this._socket.encode({ type: 'unsubscribe', data: { stream: state.stream } }) as never,
      );
  }

  error(error: Error): void {
    this._socket.error(error);
  }

  validate(state: StreamState, schema: StandardSchemaV1, envelope: Envelope): void {
    this._socket.validation!.run(schema, envelope.data, (checked) =>
      state.checked(envelope, checked),
    );
  }

  invalid(envelope: Envelope, issues: Issues): void {
    this._socket.validation!.invalid(envelope, issues);
  }

  private _send(ws: WebSocket, state: StreamState): void {
    if (state._awaiting !== undefined) this._pending.delete(state._awaiting);
    const id = this._socket.nextId();
    state._awaiting = id;
    this._pending.set(id, state);
    ws.send(this._socket.encode(state.frame(id)) as never);
  }
}
