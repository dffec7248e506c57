// Idle ping and dead-connection detection. Receiving a frame only stamps a time (cheap on
// the hot path); the single timer re-arms itself from that stamp.

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
  private pingAt = 0;

  constructor(
    private settings: HeartbeatSettings,
    private sendPing: (message: string) => void,
    private onDead: () => void,
  ) {}

  /** True while a ping is unanswered (the socket decodes frames then, to catch the pong). */
  get awaitingPong(): boolean {
    return this.pingAt > 0;
  }

  start(): void {
    this.lastSeen = Date.now();
    this.pingAt = 0;
    this.arm(this.settings.interval);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pingAt = 0;
  }

  /** Any frame arrived: the connection is alive. */
  seen(): void {
    this.lastSeen = Date.now();
  }

  /** A `{"type":"pong"}` arrived: returns the round trip in ms, if a ping was out. */
  pong(): number | undefined {
    if (!this.pingAt) return undefined;
    const latency = Date.now() - this.pingAt;
    this.pingAt = 0;
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
    const now = Date.now();
    if (this.pingAt) {
      // Waiting for any frame since the ping; none came within `timeout`.
      if (this.lastSeen < this.pingAt) return this.onDead();
      this.pingAt = 0;
    }
    const idle = now - this.lastSeen;
    if (idle >= this.settings.interval) this.ping();
    else this.arm(this.settings.interval - idle);
  }

  private ping(): void {
    // A frame seen in the same millisecond as the ping must not count as the answer.
    this.pingAt = Date.now();
    this.lastSeen = Math.min(this.lastSeen, this.pingAt - 1);
    this.arm(this.settings.timeout);
    this.sendPing(this.settings.message);
  }
}
