// The persist layer (DESIGN §10), between the messaging socket and `Socket`: what the app
// hands over while the connection is down (queued messages) and requests not yet answered
// are kept in IndexedDB (store.ts) and sent by the next socket of the same `persist.name`
// after a reload or a crash; stream positions go to sessionStorage (positions.ts). Without
// `persist` this layer only forwards: every hook starts with "is there a store?".
import { now } from '../clock';
import { DEV } from '../dev';
import { LifelineError } from '../errors';
import type { SocketOptions } from '../messaging-options';
import { MessagingSocket } from '../messaging-socket';
import { byteLength, type OutboxLimits, type QueuedMessage, type SendData } from '../queue';
import type {
  JsonMessageMap,
  JsonRequestMap,
  MessageMap,
  ReplyEvent,
  Role,
  StreamPosition,
  Untyped,
} from '../types';
import type { UrlInput } from '../url';
import { resolvePersist, underlying } from './options';
import { loadPositions, savePositions } from './positions';
import type { DurableEntry, Entry } from './record';
import { type Claimed, DurableStore } from './store';
import { tabId } from './tab';

/**
 * {@link MessagingSocket} plus the `persist` option; `Socket` builds on it. Not exported:
 * use `Socket`.
 */
export abstract class DurableSocket<
  In extends MessageMap = Untyped,
  Out extends JsonMessageMap<Out> = Untyped,
  Req extends JsonRequestMap<Req> = Untyped,
> extends MessagingSocket<In, Out, Req> {
  /** This tab's part in `share` (`Socket`'s getter): it decides whose records a claim takes. */
  abstract readonly role: Role;
  private _store: DurableStore | undefined;
  /** Until the outbox is restored, attempts wait: what waited goes out before anything new. */
  private _restoring: boolean | undefined;
  /**
   * With persist: the position the previous page of this tab saved for a stream, once, if it
   * left under 2 minutes ago (`Socket` resumes its first subscription from it).
   */
  protected _resumeAt: ((stream: string) => StreamPosition | undefined) | undefined;
  private _onHide: ((event?: PageTransitionEvent) => void) | undefined;

  /**
   * @param url - as for `Socket`
   * @throws LifelineError `ERR_INVALID_URL` / `ERR_INVALID_OPTION` / `ERR_NO_WEBSOCKET`
   */
  constructor(url: UrlInput, options?: SocketOptions) {
    const persist = resolvePersist(options);
    super(url, persist ? underlying(options!, persist) : options);
    if (!persist) return;
    const { name } = persist;
    // The owner id: this tab's id (the same after a reload), then a request id, unique across
    // tabs and reloads. When storage is unavailable, the socket goes on in memory and says
    // so, once.
    const store = new DurableStore(
      name,
      `${tabId()}.${this._requestIds().nextId()}`,
      (error) => {
        if (!this._disposed)
          this._emitError(
            new LifelineError(
              'ERR_STORAGE',
              DEV
                ? `persist "${name}": storage is unavailable (${(error as Error)?.message ?? error}); what waits to be sent is kept in memory only and will not survive a reload.`
                : '',
              undefined,
              error,
            ),
          );
      },
      // With `share`, what gone tabs left is the leader's to send.
      () => this.role,
    );
    this._store = store;
    store.onGone = () => this._adopt();
    // Plain messages the store keeps leave it when they leave the queue (sent or dropped);
    // requests and restored entries have their own `onSend`/`onDrop`.
    this._outbox(this._o.queue as OutboxLimits).onLeave = (message) => {
      if (!message.onSend) store.release(message);
    };
    this._restoring = true;
    store.open().then((found) => this._restore(found));
    this._resumeAt = loadPositions(name);
    // `pagehide`, never `unload`/`beforeunload`: those make a page ineligible for the
    // back/forward cache. An open WebSocket does too in some browsers (Chromium 150 does,
    // 156 does not), so a page going into the cache lets go of it; the backoff timer, frozen
    // with the page, reconnects when it comes back.
    this._onHide = (event?: PageTransitionEvent) => {
      savePositions(name, this._positions());
      if (event?.persisted && this._ws) this._fail(1006, 'bfcache');
    };
    globalThis.addEventListener?.('pagehide', this._onHide); // none in Node
    if (options!.autoConnect !== false) this.connect();
  }

  /** Closes, rejects pending requests, removes every listener and timer; the outbox is kept. */
  override dispose(): void {
    super.dispose(); // each step below is idempotent too
    // Closed after the requests rejected: a request that failed only because its socket
    // went away stays durable, like one a reload interrupts.
    this._store?.close();
    if (this._onHide) globalThis.removeEventListener?.('pagehide', this._onHide);
  }

  // ── Hooks ────────────────────────────────────────────────────────────────────────

  /** A message that has to wait is written to the outbox, and deleted when sent or dropped. */
  protected override _enqueue(message: QueuedMessage): 'queued' | 'dropped' {
    const store = this._store;
    // Request frames (they have `onSend`) are written by `_requested`.
    const kept = store && !message.onSend;
    // Kept before it is queued: what a `drop` listener sends meanwhile is queued after it,
    // so it must follow it in the outbox too.
    if (kept) store.keep(message);
    let result: 'queued' | 'dropped' | undefined;
    try {
      result = super._enqueue(message);
    } finally {
      // Thrown (a full queue in 'error' mode): never durable. One dropped at once
      // ('drop-newest') was released already, as it left the queue (`onLeave`).
      if (kept && result === undefined) store.release(message);
    }
    return result;
  }

  /** What `clearQueue()` drops is deleted from the outbox too (`dispose()` keeps it). */
  override clearQueue(): void {
    const store = this._store;
    if (store)
      for (const message of this._queue?.messages ?? [])
        if (!message.onSend) store.release(message);
    super.clearQueue();
  }

  /** A request is written to the outbox before it goes out, and deleted once settled. */
  protected override _requested(
    id: string,
    type: string,
    frame: SendData,
    settled: Promise<unknown>,
  ): void {
    const store = this._store;
    if (!store) return;
    const entry = store.add(frame, id, type);
    const forget = () => store.remove(entry);
    settled.then(forget, forget);
  }

  /**
   * Each connection that opens takes over what instances gone since (another tab of the name
   * that closed) left: it goes out on this connection. With `share`, a follower takes only
   * its own tab's; a tab that becomes leader reconnects through its own hub, so that open
   * takes over the rest (and from then on, what live owners leave when they go: `onGone`).
   */
  protected override _started(): void {
    super._started();
    if (!this._restoring) this._adopt(); // the restore claims for the first connection
  }

  protected override _attempt(): void {
    // `_restore` makes the attempt that waited (the status says whether one did).
    if (!this._restoring) super._attempt();
  }

  /** Positions of the subscriptions (`Socket` has them), saved on `pagehide`. */
  protected _positions(): Array<[string, StreamPosition]> {
    return [];
  }

  // ── Internals ────────────────────────────────────────────────────────────────────

  /** Takes over what gone instances left; it goes out now if the socket is open. */
  private _adopt(): void {
    this._store?.adopt().then((found) => {
      if (!found || found.entries.length + found.corrupt === 0 || this._disposed) return;
      this._requeue(found);
      // On this connection if it is still the open one; else the next one's flush takes them.
      const ws = this._liveTransport();
      if (ws) super._flush(ws, this._connection);
    });
  }

  /** What the outbox held goes first in the queue, then attempts may start. */
  private _restore(found: Claimed | undefined): void {
    this._restoring = false;
    if (found && !this._disposed) this._requeue(found);
    // The attempt that waited, if the socket is connecting (not idle, closed or disposed).
    this._online();
  }

  /** Puts what was claimed at the head of the queue, then says so (`restored`, `error`). */
  private _requeue({ entries, corrupt }: Claimed): void {
    // persist refuses `queue: false`, so there are limits.
    const queue = this._outbox(this._o.queue as OutboxLimits);
    let requests = 0;
    // Each goes to the head, last first: what waited from before goes before anything sent
    // since the socket was made. Past the queue's limits if need be: it was within them
    // when it was first queued, and the next overflow evicts as usual.
    for (const entry of [...entries].reverse()) {
      const { d: data, at } = entry.r;
      const forget = () => this._store!.remove(entry);
      const message =
        entry.r.i === undefined
          ? { data, bytes: 0, at: 0, onSend: forget, onDrop: forget }
          : this._reask(entry);
      if (entry.r.i !== undefined) requests++;
      message.bytes = byteLength(data);
      // The queue's clock is monotonic: the age carries over, not the wall-clock time.
      message.at = now() - (Date.now() - at);
      queue.putBack(message);
    }
    // Events once the queue is whole again: a listener may send, close or dispose.
    if (corrupt > 0)
      this._emitError(
        new LifelineError(
          'ERR_STORAGE',
          DEV
            ? `persist "${this._store!.name}": ${corrupt} unreadable record(s) in the outbox were skipped and deleted.`
            : '',
        ),
      );
    this.emit('restored', { messages: entries.length - requests, requests });
  }

  /** A request from before the reload, pending again with its id; its outcome is a `reply`. */
  private _reask(entry: Entry): QueuedMessage {
    const { i: id, y: type, d: frame } = entry.r as Required<DurableEntry>;
    const requests = this._requestIds();
    // Its caller is gone, and so is its timeout: it waits for its answer as long as an entry
    // may wait (maxAge from when it was first made), sent or not; then it replies ERR_TIMEOUT.
    // One already too old gets no timer: the queue drops it as expired.
    const left = (this._o.queue as OutboxLimits).maxAge - (Date.now() - entry.r.at);
    const done = (event: ReplyEvent) => {
      this._store!.remove(entry);
      this.emit('reply', event);
    };
    requests.add(id, frame, type, {}, Math.max(left, 0)).then(
      (data) => done({ id, type, data }),
      (error: Error) => done({ id, type, error }),
    );
    const message = requests.queuedFrame(id, type, frame, () => this._connection);
    requests.queued(id, () => this._queue?.remove(message));
    return message;
  }
}
