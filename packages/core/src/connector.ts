// Starting connection attempts: the URL (or the provider that makes one), the native socket
// and the connect timeout, with timers that belong to one generation so a stale one never acts
// on a newer connection. What an attempt leads to (open, close, retry) is decided in
// lifecycle.ts. Where an attempt starts: `_attempt`.
import { MAX_DELAY } from './clock';
import type { LifelineError } from './errors';
import { createLogger } from './log';
import { NativeSurface } from './native-surface';
import { isOnline } from './network';
import type { ResolvedOptions } from './options';
import type { CloseInfo } from './policy';
import { openTransport, releaseTransport } from './transport';
import { resolveUrl, type UrlInput } from './url';

type Timer = ReturnType<typeof setTimeout>;

/** One attempt at a time, and the transport it makes. */
export abstract class Connector extends NativeSurface {
  protected _o: ResolvedOptions;
  protected _input: UrlInput;
  protected _url = '';
  protected _ws: WebSocket | undefined;
  /** `_ws` while the status is `open` (set by `_to`), else undefined: the one load `send` makes. */
  protected _live: WebSocket | undefined;
  /** True from the start of an attempt until it opens or fails. */
  protected _attempting = false;
  protected _retries = 0;
  /**
   * The one pending timer: the connect timeout of the attempt in flight, the bound on the
   * close handshake after close(), or the backoff wait before the next attempt. Never two at
   * once: a wait starts only once the attempt ended, and an attempt only once the wait did.
   */
  protected _timer: Timer | undefined;
  protected _log: ReturnType<typeof createLogger>;
  protected _binaryType: BinaryType;
  /** Receives the events of the current transport; made once per socket. */
  private _listener: ((event: Event) => void) | undefined;

  constructor(url: UrlInput, o: ResolvedOptions) {
    super();
    this._o = o;
    if (typeof url === 'function') this._input = url;
    else this._input = this._url = resolveUrl(url);
    this._binaryType = o.binaryType;
    this._log = createLogger(o.debug); // one shared no-op when debug is off
  }

  /** The transport opened. */
  protected abstract _opened(): void;
  /** The transport closed (or the attempt failed): decide what comes next. */
  protected abstract _closed(info: CloseInfo): void;
  /** The connection failed or died on our side (timeouts). */
  protected abstract _fail(code: number, reason: string): void;
  /** A frame arrived on the current connection. */
  protected abstract _frame(event: MessageEvent): void;
  /** Stops what watches an open connection. */
  protected abstract _stopWatchers(): void;

  /** One connection attempt. Precondition: status connecting/reconnecting, no transport, no timer. */
  protected _attempt(): void {
    if (this._o.network && !isOnline()) {
      // No attempt is spent while offline; `online` calls _online.
      this._log({ event: 'offline-wait' });
      return;
    }
    const attempt = ++this._connection;
    this._attempting = true;
    // The connect timeout covers the URL provider too, so a hung provider cannot stall us.
    this._wait(this._o.connectTimeout, () => this._fail(1006, 'connect timeout'));
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
    try {
      const url = resolveUrl(input);
      this._url = url;
      const p = this._o.protocols;
      const protocols = typeof p === 'function' ? p() : p;
      if (attempt !== this._connection) return; // the protocols function changed course
      this._log({ event: 'connecting', url, attempt: this._retries });
      this._listener ??= (event) => this._onTransport(event);
      this._ws = openTransport(
        this._o.WebSocket ?? WebSocket,
        url,
        protocols,
        this._binaryType,
        this._listener,
      );
    } catch (error) {
      this._attemptFailed(error, attempt);
    }
  }

  /** Every event of the current transport: `message` first, it is the hot path. */
  private _onTransport(event: Event): void {
    if (event.type === 'message') return this._frame(event as MessageEvent);
    if (event.type === 'open') return this._opened();
    if (event.type === 'close') return this._closed(event as unknown as CloseInfo);
    // Like the native socket: a failed handshake or broken connection fires `error`, then `close`.
    this._emitError(new Error('The WebSocket connection failed.', { cause: event }));
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

  protected _emitError(error: Error): void {
    this._log({ event: 'error', code: (error as LifelineError).code, message: error.message });
    this._dispatch('error', error);
  }

  /**
   * Makes `fn` the pending `_timer`, belonging to the current generation: if anything changes
   * course before it fires, it does nothing; when it fires, `_timer` is clear before `fn`
   * runs. Delays `setTimeout` cannot hold (Infinity, over 2^31−1 ms) mean "never": no timer,
   * rather than one that fires at once.
   */
  protected _wait(ms: number, fn: () => void): void {
    const generation = this._connection;
    this._timer =
      ms <= MAX_DELAY
        ? setTimeout(() => {
            if (generation !== this._connection) return;
            this._timer = undefined;
            fn();
          }, ms)
        : undefined;
  }

  /** Clears the pending timer. */
  protected _stopTimer(): void {
    clearTimeout(this._timer);
    this._timer = undefined;
  }

  /** Clears the timer and makes anything still pending (an async URL provider) stale. */
  protected _clearTimers(): void {
    this._stopTimer();
    this._connection++;
  }

  /** The attempt in flight opened or failed: its connect timeout goes. */
  protected _attemptEnded(): void {
    this._stopTimer();
    this._attempting = false;
  }

  /** Detaches (and, when `close`, closes) the current transport; stops its watchers. */
  protected _endConnection(close: boolean, code = 1000, reason = ''): void {
    this._stopWatchers();
    const ws = this._ws;
    if (!ws) return;
    this._ws = this._live = undefined;
    releaseTransport(ws, close, code, reason);
  }
}
