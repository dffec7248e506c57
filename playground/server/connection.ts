// One client of the dev server, beside what @lifeline/server keeps for it: the `hello`
// envelope, the playground's replies, and the per-connection fault state (blackhole, reply
// delay, the running flood). The package parses frames, answers requests and streams.
import type { Context } from '@lifeline/server';
import { applyFault } from './fault-runner';
import { type Fault, parseFault } from './faults';
import { Flood } from './flood';
import type { HandshakeInfo } from './handshake';
import { PlaygroundError } from './protocol';
import { SendGate } from './send-gate';

/** What a connection needs from the server that accepted it. */
export interface ConnectionHost {
  restart(seconds: number): void;
  log(line: string): void;
}

/** What one connection holds, for the server's counters (and tests). */
export interface ConnectionStats {
  id: number;
  /** Bytes queued for this client but not yet handed to the network, now. */
  bufferedAmount: number;
  /** The most `bufferedAmount` has been right after a send on this connection. */
  peakBufferedAmount: number;
  /** The running flood, if any. */
  flood: { sent: number; count: number; pauses: number } | null;
}

/** The playground's side of one accepted connection. */
export class PlaygroundConnection {
  private readonly gate: SendGate;
  private flood: Flood | undefined;
  private peakBufferedAmount = 0;
  /** Direct sends not yet written out, and who waits for them all to be. */
  private unwritten = 0;
  private drainWaiters: Array<() => void> = [];

  constructor(
    readonly id: number,
    private readonly ctx: Context,
    handshake: HandshakeInfo,
    private readonly host: ConnectionHost,
  ) {
    this.gate = new SendGate(ctx.socket, () => this.sampleBuffered());
    this.sendDirect(JSON.stringify({ type: 'hello', data: { connectionId: id, ...handshake } }));
  }

  get stats(): ConnectionStats {
    const flood = this.flood;
    return {
      id: this.id,
      bufferedAmount: this.ctx.socket.bufferedAmount,
      peakBufferedAmount: this.peakBufferedAmount,
      flood: flood ? { sent: flood.sent, count: flood.count, pauses: flood.pauses } : null,
    };
  }

  /** A blackholed connection ignores what it receives and answers nothing. */
  get blackholed(): boolean {
    return this.gate.isBlackholed;
  }

  /** Echoes a frame that is not an envelope (through the gate: delayed or swallowed). */
  echo(raw: string | Buffer): void {
    if (this.blackholed) return;
    this.ctx.socket.send(raw, { binary: typeof raw !== 'string' });
  }

  /**
   * A fault asked for by a request: the returned fault becomes the reply; a bad one throws
   * `PlaygroundError` (`ERR_BAD_FAULT`, `ERR_BUSY`), which becomes an error reply.
   */
  faultRequest(data: unknown): Fault | undefined {
    if (this.blackholed) return undefined;
    const fault = this.checkFault(data);
    this.apply(fault);
    return fault;
  }

  /** A fault asked for by an event: a bad one is answered with an `error` event. */
  faultEvent(data: unknown): void {
    if (this.blackholed) return;
    let fault: Fault;
    try {
      fault = this.checkFault(data);
    } catch (error) {
      const { message, code } = error as PlaygroundError;
      this.sendDirect(JSON.stringify({ type: 'error', data: { message, code, type: 'fault' } }));
      return;
    }
    this.apply(fault);
  }

  /** The socket closed: stop the flood and drop held frames. */
  dispose(): void {
    this.gate.clear();
    this.flood?.stop();
    this.wakeDrainWaiters();
  }

  private checkFault(data: unknown): Fault {
    try {
      const fault = parseFault(data);
      if (fault.kind === 'flood' && this.flood) {
        const { sent, count } = this.flood;
        throw new PlaygroundError(
          'ERR_BUSY',
          `a flood is already running on this connection (${sent} of ${count} sent); ` +
            'one flood at a time: wait for its last envelope',
        );
      }
      return fault;
    } catch (error) {
      this.host.log(`#${this.id} fault refused: ${(error as Error).message}`);
      throw error;
    }
  }

  private apply(fault: Fault): void {
    this.host.log(`#${this.id} fault ${JSON.stringify(fault)}`);
    const socket = this.ctx.socket;
    applyFault(fault, {
      sendNow: (text) => this.sendDirect(text),
      terminate: () => socket.terminate(),
      close: (code, reason) => this.ctx.close(code, reason),
      setBlackhole: () => this.gate.blackhole(),
      setDelay: (ms) => this.gate.setDelay(ms),
      restartServer: (seconds) => this.host.restart(seconds),
      startFlood: (count, size) => this.startFlood(count, size),
    });
  }

  private startFlood(count: number, size: number): void {
    const socket = this.ctx.socket;
    const flood = new Flood(count, size, {
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
      get open() {
        return socket.readyState === socket.OPEN;
      },
      send: (text) => this.sendDirect(text),
      drained: () => this.drained(),
    });
    this.flood = flood;
    void flood.run().then((end) => {
      this.flood = undefined;
      const paused = flood.pauses > 0 ? `, paused ${flood.pauses}× for a slow reader` : '';
      this.host.log(
        end === 'done'
          ? `#${this.id} flood done: ${count} envelopes${paused}`
          : `#${this.id} flood stopped after ${flood.sent} of ${count}: connection closed`,
      );
    });
  }

  private sendDirect(text: string): void {
    this.unwritten++;
    this.gate.sendDirect(text, false, () => {
      this.unwritten--;
      if (this.unwritten === 0) this.wakeDrainWaiters();
    });
  }

  private sampleBuffered(): void {
    this.peakBufferedAmount = Math.max(this.peakBufferedAmount, this.ctx.socket.bufferedAmount);
  }

  /** Resolves once every direct send so far has been written out, or the connection closed. */
  private drained(): Promise<void> {
    const socket = this.ctx.socket;
    if (this.unwritten === 0 || socket.readyState !== socket.OPEN) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private wakeDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }
}
