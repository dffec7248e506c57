// Idle ping and dead-connection detection. Receiving a frame only stamps a time (cheap on
// the hot path); the single timer re-arms itself from that stamp. All times are monotonic
// (`now()`), so a wall clock set back cannot postpone the next ping.
import { now } from './clock';

/** Heartbeat settings, all defaults filled in. */
export interface HeartbeatSettings {
  interval: number;
  timeout: number;
  message: string;
}

/** Watches one open connection. `start` on open, `stop` when it ends. */
export class Heartbeat {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSeen = 0;
  /** Frames seen so far, and at the last ping: any frame after a ping answers it. */
  private frames = 0;
  private framesAtPing = 0;
  /** When the unanswered ping went out; `undefined` while none is out. */
  private pingAt: number | undefined;

  constructor(
    private settings: HeartbeatSettings,
    private sendPing: (message: string) => void,
    private onDead: () => void,
  ) {}

  /** True while a ping is unanswered (the socket decodes frames then, to catch the pong). */
  get awaitingPong(): boolean {
    return this.pingAt !== undefined;
  }

  start(): void {
    this.lastSeen = now();
    this.pingAt = undefined;
    this.arm(this.settings.interval);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pingAt = undefined;
  }

  /** Any frame arrived: the connection is alive. */
  seen(): void {
    this.lastSeen = now();
    this.frames++;
  }

  /** A `{"type":"pong"}` arrived: returns the round trip in ms, if a ping was out. */
  pong(): number | undefined {
    if (this.pingAt === undefined) return undefined;
    const latency = now() - this.pingAt;
    this.pingAt = undefined;
    return latency;
  }

  /** Ping now and expect a frame within `timeout` (used after a device wake). */
  probe(): void {
    this.ping();
  }

  private arm(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), ms);
  }

  private tick(): void {
    if (this.pingAt !== undefined) {
      // Waiting for any frame since the ping; none came within `timeout`.
      if (this.frames === this.framesAtPing) return this.onDead();
      this.pingAt = undefined;
    }
    const idle = now() - this.lastSeen;
    if (idle >= this.settings.interval) this.ping();
    else this.arm(this.settings.interval - idle);
  }

  private ping(): void {
    this.pingAt = now();
    this.framesAtPing = this.frames;
    this.arm(this.settings.timeout);
    this.sendPing(this.settings.message);
  }
}
