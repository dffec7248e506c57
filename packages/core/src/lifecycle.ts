// The connection lifecycle: what an attempt leads to. The open (`_opened`), the close and
// what comes next (`_handleClose`: retry with backoff, or closed; the retry it schedules is
// `retry`), the status machine's one setter (`_to`), and the network and wake watchers.
// Attempts themselves start in connector.ts; the public methods that drive all this are in
// reconnecting-socket.ts.
import { backoffDelay } from './backoff';
import { now } from './clock';
import { Connector } from './connector';
import { reportListenerError } from './emitter';
import { checkMove, isActive, type Status } from './machine';
import { type NetworkWatcher, unwatchNetwork } from './network';
import type { ResolvedOptions } from './options';
import { type CloseInfo, defaultShouldReconnect } from './policy';
import type { CloseEvent } from './types';
import type { UrlInput } from './url';
import { unwatchWake, type WakeWatcher, watchWake } from './wake';

/**
 * The retry a socket has scheduled, as `socket.retry` reads it: for a UI that shows
 * "reconnecting in 3 s". One object per scheduled retry, so comparing with `===` tells whether
 * anything changed.
 */
export interface RetryInfo {
  /** The retry (1-based): the `attempt` of the `reconnecting` event that announced it. */
  readonly attempt: number;
  /** The backoff wait before it, in ms: that event's `delay`. */
  readonly delay: number;
  /**
   * When the wait ends, on the `performance.now()` clock the socket's timers use (so
   * `retryAt - performance.now()` is the countdown, and a wall clock set back or forward does
   * not distort it). Coming back online or a page turning visible retries sooner; while the
   * device is offline no retry starts, and this stays in the past.
   */
  readonly retryAt: number;
}

/**
 * The lifecycle every Lifeline socket shares. Subclasses plug in through the protected hooks
 * (`_flush`, `_started`, `_stopped`, `_frame`, `_probe`, `_settleAll`); the lifecycle knows no
 * feature by name.
 */
export abstract class Lifecycle extends Connector {
  /** The status; changed only by `_to`. */
  protected _status: Status;
  protected _opens = 0;
  protected _openedAt = 0;
  /** The code and reason `close()` asked for, reported when that close completes. */
  protected _closing: CloseInfo | undefined;
  protected _disposed = false;
  /** The retry scheduled last; `retry` shows it only while the status is `reconnecting`. */
  protected _retry: RetryInfo | undefined;

  constructor(url: UrlInput, o: ResolvedOptions) {
    super(url, o);
    this._status = 'idle';
  }

  /**
   * The retry in progress: `{ attempt, delay, retryAt }` from the moment a retry is scheduled
   * (the `reconnecting` event) until the status leaves `reconnecting`, covering the backoff
   * wait and the attempt it starts; `null` otherwise. A change is always announced by a
   * `reconnecting` event (a new retry) or a `status` event (leaving `reconnecting`), except
   * that `reconnect()` while reconnecting clears it at once (its attempt is no scheduled
   * retry), without an event.
   *
   * @example
   * ```ts
   * const retry = socket.retry;
   * if (retry) show(`reconnecting in ${Math.ceil((retry.retryAt - performance.now()) / 1000)} s`);
   * ```
   */
  get retry(): RetryInfo | null {
    return (this._status === 'reconnecting' && this._retry) || null;
  }

  // ── Hooks for subclasses ─────────────────────────────────────────────────────────

  /**
   * Sends what waited for this connection, before `open` fires. Returns false when a listener
   * changed course meanwhile (the generation moved on): the open is then abandoned.
   */
  protected abstract _flush(ws: WebSocket, generation: number): boolean;
  /** A connection opened (before `status` turns `open`). */
  protected _started(): void {}
  /** The current connection ended, or is being abandoned. */
  protected _stopped(): void {}
  /** A frame arrived on the current connection: the raw `message` event (`Socket` decodes it too). */
  protected _frame(event: MessageEvent): void {
    this._dispatchMessage(event);
  }
  /** After a wake, the connection cannot be trusted: without a heartbeat, start over. */
  protected _probe(): void {
    this._restart();
  }
  /** Nothing will connect by itself any more (`close()`, `dispose()`, a final close). */
  protected _settleAll(_why: CloseInfo | 'closed' | 'disposed'): void {}
  /** Drops the current connection and starts over (`reconnect()`). */
  protected abstract _restart(): void;

  // ── The machine ──────────────────────────────────────────────────────────────────

  /** The only place the status changes; reports the change as `status`. */
  protected _to(next: Status): void {
    const previous = this._status;
    if (next === previous) return;
    checkMove(previous, next);
    this._status = next;
    this._live = next === 'open' ? this._ws : undefined;
    this._log({ event: 'status', status: next, previous });
    this._emit('status', next, previous);
  }

  protected _opened(): void {
    const ws = this._ws!;
    const generation = this._connection;
    this._attemptEnded();
    this._openedAt = now();
    const reconnected = this._opens++ > 0;
    // Everything that waited goes out before `open` fires, so later sends keep their order.
    if (!this._flush(ws, generation)) return;
    this._started();
    if (this._o.wake) watchWake(this as unknown as WakeWatcher);
    this._to('open');
    if (generation !== this._connection) return; // a status listener changed course
    this._log({ event: 'open', url: this._url, attempt: this._retries });
    this._event('open', { attempt: this._retries, reconnected });
  }

  // ── Ends ─────────────────────────────────────────────────────────────────────────

  protected _closed(event: CloseInfo): void {
    this._endConnection(false);
    this._handleClose({ code: event.code, reason: event.reason, wasClean: event.wasClean });
  }

  /** The connection failed or died on our side (timeouts): close it and decide what next. */
  protected _fail(code: number, reason: string): void {
    this._endConnection(true, code === 1006 ? 1000 : code, reason);
    this._handleClose({ code, reason, wasClean: false });
  }

  private _handleClose(info: CloseInfo): void {
    this._attemptEnded();
    this._log({ event: 'closed', ...info });
    if (!isActive(this._status)) return this._finish(info); // closing included
    const policy = this._o.reconnect;
    if (this._openedAt && now() - this._openedAt >= policy.resetAfter) this._retries = 0;
    this._openedAt = 0;
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
      this._settleAll(info);
      this._finish(info);
      if (retry && this._status === 'closed')
        this.emit('giveup', { attempts: this._retries, lastClose: info });
      return;
    }
    this._retries = attempt;
    const delay = backoffDelay(attempt, policy);
    // Set before the status changes, so `status` listeners already read the new retry.
    this._retry = { attempt, delay, retryAt: now() + delay };
    this._wait(delay, () => this._attempt());
    if (!this._moveAfterClose('reconnecting', info)) return;
    this._log({ event: 'retry', attempt, delay });
    this.emit('reconnecting', { attempt, delay });
  }

  /** Moves to `closed` and emits `close` with willReconnect false. */
  protected _finish(info: CloseInfo): void {
    this._clearTimers();
    this._unwatchNetwork();
    this._moveAfterClose('closed', info);
  }

  /**
   * Moves to `next` after a connection ended and emits that connection's `close` event.
   * Returns false when a listener (of `status` or `close`) changed course meanwhile.
   */
  protected _moveAfterClose(next: 'reconnecting' | 'closed', info: CloseInfo): boolean {
    const generation = this._connection;
    this._to(next);
    const overridden = generation !== this._connection;
    // After a change of course the close is worded for the status now: a new attempt under
    // way says `willReconnect: true`; a pending `close()` or a `dispose()` reports its own.
    const s = this._status;
    if (!overridden || s === 'connecting' || s === 'reconnecting')
      this._event('close', {
        ...info,
        willReconnect: overridden || next !== 'closed',
      } satisfies Omit<CloseEvent, 'type' | 'target' | 'currentTarget'>);
    return generation === this._connection;
  }

  /** Dispatches `open` or `close` as an event of this socket: `type`, `fields`, targets. */
  private _event(type: 'open' | 'close', fields: object): void {
    this._dispatch(type, { type, ...fields, target: this, currentTarget: this });
  }

  // ── Timers and watchers ──────────────────────────────────────────────────────────

  /** The device woke (wake.ts calls it while this socket is open). */
  protected _woke(sleptMs: number): void {
    this._log({ event: 'wake', sleptMs });
    this.emit('wake', { sleptMs });
    if (this._status === 'open') this._probe();
  }

  /** `online`, or the page became visible (network.ts calls it): skip the rest of a backoff wait. */
  protected _online(): void {
    const s = this._status;
    if (this._ws || this._attempting || (s !== 'connecting' && s !== 'reconnecting')) return;
    this._stopTimer(); // the backoff wait
    this._attempt();
  }

  protected _unwatchNetwork(): void {
    unwatchNetwork(this as unknown as NetworkWatcher);
  }

  protected _stopWatchers(): void {
    this._stopped();
    unwatchWake(this as unknown as WakeWatcher);
  }
}
