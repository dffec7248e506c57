// Idle ping and dead-connection detection. Receiving a frame only sets a flag (the hot path
// reads no clock); the timer looks at the flag and a monotonic clock (`now()`) a few times per
// interval, so a wall clock set back cannot postpone the next ping.
import { now } from './clock';

/** Heartbeat settings, all defaults filled in. */
export interface HeartbeatSettings {
  interval: number;
  timeout: number;
  message: string;
}

/** How many times per interval the timer checks for silence: the ping's precision. */
const CHECKS_PER_INTERVAL = 4;

// Members only the core calls are `_`-prefixed: internal, and shortened by the production
// build's property mangling (rollup.config.mjs).
/**
 * Watches one open connection. `_start` on open, `_stop` when it ends. A ping goes out once no
 * frame has arrived for between `interval` and `interval × 1.25` (the timer looks four times
 * per interval); no frame within `timeout` after it, and the connection is dead.
 */
export class Heartbeat {
  private _timer: ReturnType<typeof setTimeout> | undefined;
  /** A frame arrived since the timer last looked. */
  private _fresh = false;
  /** When the timer last saw a frame had arrived: silence is measured from there. */
  private _quietSince = 0;
  /** When the unanswered ping went out; `undefined` while none is out. */
  private _pingAt: number | undefined;

  constructor(
    private _settings: HeartbeatSettings,
    private _sendPing: (message: string) => void,
    private _onDead: () => void,
  ) {}

  /** True while a ping is unanswered (the socket decodes frames then, to catch the pong). */
  get _awaitingPong(): boolean {
    return this._pingAt !== undefined;
  }

  _start(): void {
    this._fresh = false;
    this._quietSince = now();
    this._pingAt = undefined;
    this._arm(Infinity);
  }

  _stop(): void {
    clearTimeout(this._timer);
    this._timer = undefined;
    this._pingAt = undefined;
  }

  /** Any frame arrived: the connection is alive. Runs once per frame, so it only sets a flag. */
  _seen(): void {
    this._fresh = true;
  }

  /** A `{"type":"pong"}` arrived: returns the round trip in ms, if a ping was out. */
  _pong(): number | undefined {
    if (this._pingAt === undefined) return undefined;
    const latency = now() - this._pingAt;
    this._pingAt = undefined;
    return latency;
  }

  /** Ping now and expect a frame within `timeout` (used after a device wake). */
  _probe(): void {
    this._ping(now());
  }

  /** Looks again in `ms`, or sooner: at least `CHECKS_PER_INTERVAL` times per interval. */
  private _arm(ms: number): void {
    clearTimeout(this._timer);
    const step = this._settings.interval / CHECKS_PER_INTERVAL;
    this._timer = setTimeout(() => this._tick(), Math.min(step, ms));
  }

  private _tick(): void {
    const time = now();
    const { interval, timeout } = this._settings;
    if (this._fresh) {
      // A frame arrived since the last look: alive, and any ping out is answered.
      this._fresh = false;
      this._quietSince = time;
      this._pingAt = undefined;
    } else if (this._pingAt !== undefined) {
      const waited = time - this._pingAt;
      if (waited >= timeout) return this._onDead();
      return this._arm(timeout - waited);
    }
    const quiet = time - this._quietSince;
    if (quiet >= interval) this._ping(time);
    else this._arm(interval - quiet);
  }

  private _ping(time: number): void {
    this._pingAt = time;
    this._fresh = false; // only a frame after this instant answers the ping
    this._arm(this._settings.timeout);
    this._sendPing(this._settings.message);
  }
}
