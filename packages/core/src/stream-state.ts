// One wire subscription (DESIGN §8): the position in its stream and what each message or
// reply means for it. A duplicate is dropped, a gap re-subscribes from the position (the
// server replaces the subscription and replays), another epoch or an unrecoverable resume
// resyncs. The registry (streams.ts) sends the frames; the handles (subscription.ts) listen.
// With `streamSchemas`, a message that fails its schema is reported (`invalid`) and does not
// move the position; the next one goes on from it (see `_handled`).
import { DEV } from './dev';
import type { Envelope } from './envelope';
import { fail, LifelineError } from './errors';
import { compareSeq, follows, isSeq, nextSeq, previousSeq } from './seq';
import { fire, type SharedStream, type Subscription } from './subscription';
import type { StreamPosition, SubscriptionStatus } from './types';
import type { Checked, Issues } from './validation/check';
import type { SchemaTable } from './validation/schemas';
import type { StandardSchemaV1 } from './validation/standard-schema';

/** What a wire subscription asks of the registry that owns it. */
export interface StreamHost {
  /** Sends a fresh subscribe for `state` from its position, if the connection is open. */
  _resubscribe(state: StreamState): void;
  /** Forgets `state`; `unsubscribe`: tell the server, if the connection is open. */
  _remove(state: StreamState, unsubscribe: boolean): void;
  /** Reports a problem no subscription can take (the socket's `error`). */
  _error(error: Error): void;
  /** Validates a message with `schema`; the verdict comes to `state._checked`, in order. */
  _validate(state: StreamState, schema: StandardSchemaV1, envelope: Envelope): void;
  /** Reports a message that failed its schema (`invalid`). */
  _invalid(envelope: Envelope, issues: Issues): void;
}

// Members only the core calls are `_`-prefixed: internal, and shortened by the production
// build's property mangling (rollup.config.mjs).
/** One stream's subscription on one socket, shared by its handles. */
export class StreamState implements SharedStream {
  status: SubscriptionStatus = 'subscribing';
  duplicates = 0;
  /** The id of the subscribe awaiting its reply on the current connection. */
  _awaiting: string | undefined;
  readonly _handles: Subscription[] = [];
  /** `streamSchemas`: this stream's schemas by message type. */
  _schemas: SchemaTable | undefined;
  private _epoch: string | undefined;
  private _seq = '0';
  /**
   * The seq of the last message that failed its schema, when it is past the position. It
   * was reported, not delivered, so the position stays before it (a resume fetches and
   * reports it again); the message after it is the next one in order, not a gap.
   */
  private _handled: string | undefined;
  /** `position`, made when read: messages move the position without allocating. */
  private _position: StreamPosition | undefined;

  constructor(
    readonly stream: string,
    readonly data: unknown,
    private readonly _host: StreamHost,
    /** Resume from here (a position from before a reload): the first subscribe says `since`. */
    since?: StreamPosition,
  ) {
    if (since) this._move(since.epoch, since.seq);
  }

  get position(): StreamPosition | undefined {
    if (this._epoch === undefined) return undefined;
    this._position ??= { epoch: this._epoch, seq: this._seq };
    return this._position;
  }

  /** The subscribe request `id`: from the position, when there is one. */
  _frame(id: string): Envelope {
    const data: Record<string, unknown> = { stream: this.stream };
    if (this._epoch !== undefined) data.since = { epoch: this._epoch, seq: this._seq };
    if (this.data !== undefined) data.data = this.data;
    return { type: 'subscribe', id, data };
  }

  /** The connection ended: the subscribe in flight is void; the next open sends another. */
  _down(): void {
    this._awaiting = undefined;
    this._to('subscribing');
  }

  /** The reply to the subscribe awaiting one. */
  _reply(envelope: Envelope): void {
    this._awaiting = undefined;
    const { error } = envelope;
    if (error) return this._close(new LifelineError('ERR_REMOTE', error.message, error), false);
    // Reading a property of a primitive gives undefined: no type check needed before.
    const d = envelope.data as { epoch?: unknown; seq?: unknown; recovered?: unknown } | null;
    const epoch = d?.epoch;
    const head = d?.seq;
    if (typeof epoch !== 'string' || !isSeq(head))
      return this._close(
        fail(
          'ERR_INVALID_MESSAGE',
          DEV
            ? `The subscribe reply for stream "${this.stream}" has no valid { epoch, seq }: ${JSON.stringify(d)}.`
            : '',
        ),
        true,
      );
    // The first reply sets the position; a resume keeps it (the replay advances it) unless
    // the server cannot replay from it.
    const resync = this._epoch !== undefined && (d!.recovered !== true || epoch !== this._epoch);
    if (resync || this._epoch === undefined) this._move(epoch, head);
    const previous = this.status;
    this.status = 'live';
    // A jumped position must be reported whatever a listener does next.
    if (resync) this._fanout('resync', { position: this.position });
    if (previous !== 'live' && this.status === 'live') this._fanout('status', 'live', previous);
  }

  /** A stream message for this subscription. */
  _receive(envelope: Envelope): void {
    const { epoch, seq } = envelope;
    if (this._epoch === undefined) return; // before the first reply: the replay will bring it
    // A message that failed its schema is validated and reported again each time it comes
    // (a resume replays it): the one after the position always follows.
    const last = this._handled ?? this._seq;
    if (
      epoch === this._epoch &&
      typeof seq === 'string' &&
      (follows(this._seq, seq) || (last !== this._seq && follows(last, seq)))
    ) {
      const schema = this._schemas?.get(envelope.type);
      if (schema) return this._host._validate(this, schema, envelope);
      return this._deliver(envelope);
    }
    // Off the fast path: a duplicate, a gap, another epoch, or a malformed message.
    if (typeof epoch !== 'string' || !isSeq(seq))
      return this._host._error(
        fail(
          'ERR_INVALID_MESSAGE',
          DEV
            ? `Stream "${this.stream}" sent a message without a valid epoch and seq; it was ignored.`
            : '',
        ),
      );
    if (epoch === this._epoch && compareSeq(seq, last) <= 0) {
      this.duplicates++;
      return;
    }
    // A subscribe already on its way (or the next open's) brings what is missing.
    if (this._awaiting !== undefined || this.status !== 'live') return;
    this._host._resubscribe(this);
    // Another epoch is not a gap to report: the reply says resync.
    if (epoch === this._epoch) this._fanout('gap', { from: nextSeq(last), to: previousSeq(seq) });
  }

  /** The verdict on a message that followed in order: delivered, or reported and skipped. */
  _checked(envelope: Envelope, checked: Checked): void {
    if (this.status === 'closed') return;
    if (checked.issues) {
      this._handled = envelope.seq;
      return this._host._invalid(envelope, checked.issues);
    }
    envelope.data = checked.value;
    this._deliver(envelope);
  }

  /** A handle leaves; the last one ends the subscription. */
  _leave(handle: Subscription): void {
    const index = this._handles.indexOf(handle);
    if (index < 0) return;
    this._handles.splice(index, 1);
    const previous = handle.status;
    handle._closed = true;
    if (this._handles.length === 0) {
      this.status = 'closed';
      this._host._remove(this, true);
    }
    fire(handle, 'status', 'closed', previous);
    handle.removeAllListeners();
  }

  /**
   * Ends the subscription for every handle: `error` (when given, reported on the socket if no
   * handle listens for it), then `status` closed; listeners are removed.
   */
  _close(error: LifelineError | undefined, unsubscribe: boolean): void {
    const previous = this.status;
    if (previous === 'closed') return;
    this.status = 'closed';
    this._host._remove(this, unsubscribe);
    const handles = this._handles.splice(0);
    for (const handle of handles) handle._closed = true;
    if (error && !handles.some((handle) => handle.listenerCount('error') > 0))
      this._host._error(error);
    for (const handle of handles) {
      if (error) fire(handle, 'error', error);
      fire(handle, 'status', 'closed', previous);
      handle.removeAllListeners();
    }
  }

  private _deliver(envelope: Envelope): void {
    this._move(envelope.epoch!, envelope.seq!);
    const handles = this._handles;
    if (handles.length === 1) fire(handles[0]!, 'message', envelope.data, envelope);
    else this._fanout('message', envelope.data, envelope);
  }

  private _move(epoch: string, seq: string): void {
    this._epoch = epoch;
    this._seq = seq;
    this._handled = this._position = undefined;
  }

  private _to(next: SubscriptionStatus): void {
    const previous = this.status;
    if (previous === next || previous === 'closed') return;
    this.status = next;
    this._fanout('status', next, previous);
  }

  /** Emits to every handle still subscribed; a listener may unsubscribe any of them. */
  private _fanout(event: string, a: unknown, b?: unknown): void {
    for (const handle of this._handles.slice()) if (!handle._closed) fire(handle, event, a, b);
  }
}
