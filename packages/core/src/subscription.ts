// The handle `socket.subscribe()` returns. Handles of one stream share one wire subscription
// (stream-state.ts), which owns the position and the status; a handle only listens and can
// leave.
import { SafeEmitter } from './emitter';
import type {
  GapEvent,
  MessageMap,
  ResyncEvent,
  StreamPosition,
  SubscriptionEventMap,
  SubscriptionStatus,
  Untyped,
} from './types';

/** What a handle reads from the wire subscription it shares with the other handles. */
export interface SharedStream {
  readonly status: SubscriptionStatus;
  readonly position: StreamPosition | undefined;
  readonly duplicates: number;
  _leave(handle: Subscription): void;
}

/**
 * One subscriber of a stream (DESIGN §8): receives its messages in order, without gaps or
 * duplicates within an epoch, across reconnects. Made by `socket.subscribe()`.
 *
 * Events: `message (data, message)`; `gap ({ from, to })` when messages were missed and are
 * being fetched again; `resync ({ position })` when the server cannot replay what was missed
 * (reload your state); `status (status, previous)`; `error (LifelineError)` when the server
 * refuses the subscription (`ERR_REMOTE`), after which the status is `closed`.
 *
 * @typeParam M - the stream's message `type` → `data`
 * @example
 * ```ts
 * const room = socket.subscribe('room:42', (data, message) => {
 *   if (message.type === 'chat') render(data.text);
 * });
 * room.on('resync', () => reloadRoomOverHttp());
 * room.unsubscribe();
 * ```
 */
export class Subscription<M extends MessageMap = Untyped> extends SafeEmitter<
  SubscriptionEventMap<M>
> {
  /** The stream's name. */
  readonly stream: string;
  /** @internal The wire subscription; still readable after this handle closed. */
  readonly _shared: SharedStream;
  /** @internal True once this handle left or its subscription ended. */
  _closed = false;

  /** @internal Made by `socket.subscribe()`. */
  constructor(stream: string, shared: SharedStream) {
    super();
    this.stream = stream;
    this._shared = shared;
  }

  /** `'subscribing'` (waiting for the server's reply), `'live'` or `'closed'`. */
  get status(): SubscriptionStatus {
    return this._closed ? 'closed' : this._shared.status;
  }

  /** The last position seen (`undefined` before the first reply); kept after closing. */
  get position(): StreamPosition | undefined {
    return this._shared.position;
  }

  /** Messages dropped as duplicates (expected after a reconnect or a gap; never delivered). */
  get duplicates(): number {
    return this._shared.duplicates;
  }

  /**
   * Stops this handle: its status turns `closed` and its listeners are removed. The wire
   * subscription ends (an `unsubscribe` goes to the server, when connected) with the last
   * handle of the stream. Calling it again does nothing.
   */
  unsubscribe(): void {
    this._shared._leave(this);
  }
}

/** Emits on a handle (the emitter's isolated `_emit` is protected). */
export const fire = (handle: Subscription, event: string, a?: unknown, b?: unknown): void => {
  (handle as unknown as { _emit(e: string, a?: unknown, b?: unknown): void })._emit(event, a, b);
};

/**
 * The callbacks a framework adapter's subscription takes (React and Vue `useSubscription`,
 * Svelte `subscriptionStore`): the handle's events, without holding the handle.
 */
export interface SubscriptionCallbacks {
  /** The server could not replay what was missed: reload your state (DESIGN §8). */
  onResync?: (event: ResyncEvent) => void;
  /** Messages `from`…`to` were missed and are being fetched again (for logs and metrics). */
  onGap?: (event: GapEvent) => void;
  /**
   * The server refused the subscription (`ERR_REMOTE`); its status is then `closed`. Listened
   * to only when given at subscribe time; without it, the socket emits the error.
   */
  onError?: (error: Error) => void;
}
