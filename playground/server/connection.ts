// One client of the dev server: the hello envelope, echo and envelope replies, and the
// per-connection fault state (blackhole, reply delay, the running flood).
import type { RawData, WebSocket } from 'ws';
import { applyFault } from './fault-runner';
import { type Fault, parseFault } from './faults';
import { Flood } from './flood';
import type { HandshakeInfo } from './handshake';
import { type Envelope, errorReply, parseEnvelope, respond, ServerError } from './protocol';

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

/** Wires one accepted `ws` socket to the playground protocol. */
export class PlaygroundConnection {
  private blackholed = false;
  private delayMs = 0;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private flood: Flood | undefined;
  private peakBufferedAmount = 0;
  /** Sends not yet written out, and who waits for them all to be. */
  private unwritten = 0;
  private drainWaiters: Array<() => void> = [];

  constructor(
    readonly id: number,
    private readonly socket: WebSocket,
    handshake: HandshakeInfo,
    private readonly host: ConnectionHost,
  ) {
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('close', () => {
      this.clearTimers();
      this.flood?.stop();
      this.wakeDrainWaiters();
    });
    // A peer that vanishes mid-frame raises an error; the close that follows is enough.
    socket.on('error', () => {});
    this.sendNow(JSON.stringify({ type: 'hello', data: { connectionId: id, ...handshake } }));
  }

  get stats(): ConnectionStats {
    const flood = this.flood;
    return {
      id: this.id,
      bufferedAmount: this.socket.bufferedAmount,
      peakBufferedAmount: this.peakBufferedAmount,
      flood: flood ? { sent: flood.sent, count: flood.count, pauses: flood.pauses } : null,
    };
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.blackholed) return;
    const buffer = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data);
    if (isBinary) {
      this.reply(buffer, true);
      return;
    }
    const text = buffer.toString('utf8');
    const envelope = parseEnvelope(text);
    if (!envelope) {
      this.reply(text);
      return;
    }
    if (envelope.type === 'fault') {
      this.fault(envelope);
      return;
    }
    const answer = respond(envelope);
    if (answer) this.reply(JSON.stringify(answer));
  }

  private fault(envelope: Envelope): void {
    let fault: Fault;
    try {
      fault = parseFault(envelope.data);
      if (fault.kind === 'flood' && this.flood) {
        const { sent, count } = this.flood;
        throw new ServerError(
          'ERR_BUSY',
          `a flood is already running on this connection (${sent} of ${count} sent); ` +
            'one flood at a time: wait for its last envelope',
        );
      }
    } catch (error) {
      this.host.log(`#${this.id} fault refused: ${(error as Error).message}`);
      this.sendNow(JSON.stringify(errorReply(envelope, error)));
      return;
    }
    this.host.log(`#${this.id} fault ${JSON.stringify(fault)}`);
    applyFault(fault, {
      sendNow: (text) => this.sendNow(text),
      terminate: () => this.socket.terminate(),
      close: (code, reason) => this.socket.close(code, reason),
      setBlackhole: () => {
        this.blackholed = true;
      },
      setDelay: (ms) => {
        this.delayMs = ms;
      },
      restartServer: (seconds) => this.host.restart(seconds),
      startFlood: (count, size) => this.startFlood(count, size),
    });
    // A request for a fault still deserves its reply (unless the fault cut the line).
    if (envelope.id !== undefined && this.socket.readyState === this.socket.OPEN) {
      this.sendNow(JSON.stringify({ type: 'fault', re: envelope.id, data: fault }));
    }
  }

  private startFlood(count: number, size: number): void {
    const socket = this.socket;
    const flood = new Flood(count, size, {
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
      get open() {
        return socket.readyState === socket.OPEN;
      },
      send: (text) => this.sendNow(text),
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

  /** Sends a reply, after the configured delay if there is one. */
  private reply(data: string | Buffer, binary = false): void {
    if (this.delayMs === 0) {
      this.sendNow(data, binary);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.sendNow(data, binary);
    }, this.delayMs);
    this.timers.add(timer);
  }

  private sendNow(data: string | Buffer, binary = false): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.unwritten++;
    this.socket.send(data, { binary }, () => {
      this.unwritten--;
      if (this.unwritten === 0) this.wakeDrainWaiters();
    });
    this.peakBufferedAmount = Math.max(this.peakBufferedAmount, this.socket.bufferedAmount);
  }

  /** Resolves once every send so far has been written out, or the connection closed. */
  private drained(): Promise<void> {
    if (this.unwritten === 0 || this.socket.readyState !== this.socket.OPEN) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private wakeDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
