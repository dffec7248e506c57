// The server half of one fake socket: what a test sees in `server.connections`. Frames from
// the server reach the client at once (synchronously, in order, never re-entrantly); frames and
// closes from the client reach the server one microtask later, as a real socket never answers
// inside `send()` or `close()`.
import type { FakeWebSocket, ServerPeer } from './fake-websocket';
import type { CloseRecord, Envelope, FrameData } from './types';

/** A frame a client sent, as the server received it. */
export interface ReceivedFrame {
  connection: TestConnection;
  /** The frame as sent: text, or binary data. */
  raw: FrameData;
  /** The decoded envelope, or `undefined` for binary data, bad JSON or a non-envelope. */
  envelope: Envelope | undefined;
}

/** What a connection needs from its server. */
export interface ConnectionHost {
  /** Runs `task` one microtask later, after the tasks already waiting. */
  later(task: () => void): void;
  blackholed(): boolean;
  frame(connection: TestConnection, raw: FrameData): void;
  closed(connection: TestConnection): void;
  /** Something changed: re-check whoever waits. */
  changed(): void;
}

/** One client connection, seen from the fake server. */
export class TestConnection implements ServerPeer {
  /** `connecting` until the server accepts it (a blackholed server holds it there). */
  state: 'connecting' | 'open' | 'closed' = 'connecting';
  /** Frames this connection sent, in order. */
  readonly received: ReceivedFrame[] = [];
  /** Streams this connection is subscribed to. */
  readonly subscriptions = new Set<string>();
  /** How it closed, once it has. */
  closeRecord: CloseRecord | undefined;

  private readonly _outbox: Array<() => void> = [];
  private _delivering = false;

  constructor(
    /** 1 for the first connection the server accepted, then 2, 3, … */
    readonly id: number,
    readonly url: string,
    /** The subprotocols the client offered. */
    readonly protocols: readonly string[],
    private readonly _ws: FakeWebSocket,
    private readonly _host: ConnectionHost,
  ) {}

  get open(): boolean {
    return this.state === 'open';
  }

  /** Sends an event envelope `{ type, data }` to this client. Returns false when it was lost. */
  send(type: string, data?: unknown): boolean {
    return this.sendEnvelope(data === undefined ? { type } : { type, data });
  }

  /** Sends any envelope (a reply, a stream message with a chosen `seq`, …) as JSON. */
  sendEnvelope(envelope: Envelope): boolean {
    return this.sendRaw(JSON.stringify(envelope));
  }

  /** Sends a frame as is (malformed JSON, binary data). Lost when closed or blackholed. */
  sendRaw(data: FrameData): boolean {
    if (this.state !== 'open' || this._host.blackholed()) return false;
    this._deliver(() => this._ws._message(data));
    return true;
  }

  /** Ends the connection uncleanly: the client gets `error`, then `close` 1006. */
  drop(): void {
    if (this.state === 'closed') return;
    this._end({ code: 1006, reason: '', wasClean: false, by: 'server' });
    this._deliver(() => this._ws._fail());
  }

  /** Closes the connection cleanly with `code` (1000, 1001, 1011, 1012, 4000–4999, …). */
  close(code = 1000, reason = ''): void {
    if (this.state === 'closed') return;
    if (this.state === 'connecting') return this.drop(); // no handshake, no close frame
    this._end({ code, reason, wasClean: true, by: 'server' });
    this._deliver(() => this._ws._closed(code, reason, true));
  }

  // ── used by the server ──

  /** @internal Completes the handshake; false when the client already gave up on it. */
  _accept(): boolean {
    if (this.state !== 'connecting' || this._ws.readyState !== 0) return false;
    this.state = 'open';
    this._deliver(() => this._ws._open(this.protocols[0] ?? ''));
    return true;
  }

  // ── ServerPeer: what the client does ──

  /** @internal */
  fromClient(raw: FrameData): void {
    this._host.later(() => {
      if (this.state === 'open') this._host.frame(this, raw);
    });
  }

  /** @internal */
  clientClosed(code: number | undefined, reason: string): void {
    this._host.later(() => {
      if (this.state === 'closed') return;
      // Aborted while connecting, or closed into a blackhole: no close frame comes back.
      if (this.state === 'connecting' || this._host.blackholed()) {
        this._end({ code: 1006, reason: '', wasClean: false, by: 'client' });
        this._deliver(() => this._ws._fail());
        return;
      }
      const echoed = code ?? 1005;
      this._end({ code: echoed, reason, wasClean: true, by: 'client' });
      this._deliver(() => this._ws._closed(echoed, reason, true));
    });
  }

  private _end(record: CloseRecord): void {
    this.state = 'closed';
    this.closeRecord = record;
    this.subscriptions.clear();
    this._host.closed(this);
  }

  /** Runs client-side effects in order; one started inside another waits for it to finish. */
  private _deliver(effect: () => void): void {
    this._outbox.push(effect);
    if (this._delivering) return;
    this._delivering = true;
    try {
      for (let next = this._outbox.shift(); next; next = this._outbox.shift()) next();
    } finally {
      this._delivering = false;
    }
    this._host.changed();
  }
}
