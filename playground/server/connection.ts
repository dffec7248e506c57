// One client of the dev server: the hello envelope, echo and envelope replies, and the
// per-connection fault state (blackhole, reply delay).
import type { RawData, WebSocket } from 'ws';
import { applyFault } from './fault-runner';
import { parseFault } from './faults';
import type { HandshakeInfo } from './handshake';
import { type Envelope, errorReply, parseEnvelope, respond } from './protocol';

/** What a connection needs from the server that accepted it. */
export interface ConnectionHost {
  restart(seconds: number): void;
  log(line: string): void;
}

/** Wires one accepted `ws` socket to the playground protocol. */
export class PlaygroundConnection {
  private blackholed = false;
  private delayMs = 0;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    readonly id: number,
    private readonly socket: WebSocket,
    handshake: HandshakeInfo,
    private readonly host: ConnectionHost,
  ) {
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('close', () => this.clearTimers());
    // A peer that vanishes mid-frame raises an error; the close that follows is enough.
    socket.on('error', () => {});
    this.sendNow(JSON.stringify({ type: 'hello', data: { connectionId: id, ...handshake } }));
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
    let fault: ReturnType<typeof parseFault>;
    try {
      fault = parseFault(envelope.data);
    } catch (error) {
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
    });
    // A request for a fault still deserves its reply (unless the fault cut the line).
    if (envelope.id !== undefined && this.socket.readyState === this.socket.OPEN) {
      this.sendNow(JSON.stringify({ type: 'fault', re: envelope.id, data: fault }));
    }
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
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(data, { binary });
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
