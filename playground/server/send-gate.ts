// The `blackhole` and `delay` faults as a gate on one connection's outgoing frames.
// @lifeline/server writes every reply, pong and stream message with `ctx.socket.send`; the
// gate replaces that method on this one socket, so the package needs no fault hooks. The
// playground's own frames (hello, fault acknowledgements, flood) use `sendDirect` and pass
// regardless, as they did before the package existed.
import type { WebSocket } from 'ws';

type SendCallback = (error?: Error) => void;
type SendOptions = Parameters<WebSocket['send']>[1];

interface Held {
  data: Parameters<WebSocket['send']>[0];
  options: SendOptions;
  callback: SendCallback | undefined;
  due: number;
}

/** Holds or swallows what the server sends on one socket. */
export class SendGate {
  private blackholed = false;
  private delayMs = 0;
  private readonly held: Held[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly original: WebSocket['send'];

  constructor(
    private readonly socket: WebSocket,
    /** Called after every frame handed to `ws`, to sample `bufferedAmount`. */
    private readonly afterSend: () => void = () => {},
  ) {
    this.original = socket.send.bind(socket);
    // An own property shadows WebSocket.prototype.send for this socket only.
    socket.send = ((data, options?: SendOptions | SendCallback, callback?: SendCallback) => {
      if (typeof options === 'function') this.gated(data, {}, options);
      else this.gated(data, options ?? {}, callback);
    }) as WebSocket['send'];
  }

  /** True once the connection is blackholed (for the rest of its life). */
  get isBlackholed(): boolean {
    return this.blackholed;
  }

  /** From now on nothing gated reaches the client; what is held is dropped too. */
  blackhole(): void {
    this.blackholed = true;
    this.clear();
  }

  /** Holds every later gated frame `ms` milliseconds (0: send at once), keeping their order. */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /** Sends now, past the gate (the playground's own frames). */
  sendDirect(data: string | Buffer, binary = false, callback?: SendCallback): void {
    if (this.socket.readyState !== this.socket.OPEN) {
      callback?.();
      return;
    }
    this.original(data, { binary }, callback);
    this.afterSend();
  }

  /** Drops whatever is held: the socket closed. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.held.length = 0;
  }

  private gated(data: Held['data'], options: SendOptions, callback?: SendCallback): void {
    if (this.blackholed) {
      // Swallowed, as a network that lost it would; a callback still learns the call ended.
      if (callback) process.nextTick(callback);
      return;
    }
    if (this.delayMs === 0 && this.held.length === 0) {
      this.original(data, options, callback);
      this.afterSend();
      return;
    }
    // A later frame never overtakes an earlier one, even when the delay shrinks meanwhile.
    const last = this.held[this.held.length - 1];
    const due = Math.max(Date.now() + this.delayMs, last?.due ?? 0);
    this.held.push({ data, options, callback, due });
    if (this.timer === undefined) this.arm();
  }

  private arm(): void {
    const next = this.held[0];
    if (!next) return;
    this.timer = setTimeout(() => this.release(), Math.max(0, next.due - Date.now()));
  }

  private release(): void {
    this.timer = undefined;
    const now = Date.now();
    while (this.held[0] && this.held[0].due <= now) {
      const { data, options, callback } = this.held.shift()!;
      if (this.socket.readyState === this.socket.OPEN) {
        this.original(data, options, callback);
        this.afterSend();
      }
    }
    this.arm();
  }
}
