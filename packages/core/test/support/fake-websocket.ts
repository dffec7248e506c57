// A WebSocket stand-in whose every transition the test drives by hand: open, receive, close
// from the server, fail. Deterministic, for the state-machine and property tests. It also
// stamps every transition with `performance.now()` (faked by vi's timers, and unmoved by
// `vi.setSystemTime`), so timing properties can be checked on the monotonic clock.

type Handler = ((event: never) => void) | null;

export class FakeWebSocket {
  static instances: FakeWebSocket[] = [];
  static reset(): void {
    FakeWebSocket.instances = [];
  }
  /** The most recent instance. */
  static get last(): FakeWebSocket {
    const ws = FakeWebSocket.instances.at(-1);
    if (!ws) throw new Error('no FakeWebSocket was created');
    return ws;
  }
  /** Instances Lifeline still listens to (it reads their messages) and that are not closed. */
  static live(): FakeWebSocket[] {
    return FakeWebSocket.instances.filter((ws) => ws.readyState < 3 && ws.onmessage !== null);
  }

  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readyState = 0;
  binaryType = 'blob';
  bufferedAmount = 0;
  protocol = '';
  extensions = '';
  sent: unknown[] = [];
  /** `performance.now()` of each entry of `sent`. */
  sentAt: number[] = [];
  /** What `send` silently discarded because it was called while CLOSING or CLOSED. */
  discarded: unknown[] = [];
  /** `performance.now()` of each frame `receive` delivered. */
  receivedAt: number[] = [];
  closeCalls: Array<[number | undefined, string | undefined]> = [];
  /** `performance.now()` of each entry of `closeCalls`. */
  closeCalledAt: number[] = [];
  readonly createdAt = performance.now();
  /** `performance.now()` when `open()` ran, or undefined. */
  openedAt: number | undefined = undefined;
  onopen: Handler = null;
  onmessage: Handler = null;
  onerror: Handler = null;
  onclose: Handler = null;

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    FakeWebSocket.instances.push(this);
  }

  send(data: unknown): void {
    if (this.readyState === 0) throw new Error('InvalidStateError: still CONNECTING');
    if (this.readyState === 1) {
      this.sent.push(data);
      this.sentAt.push(performance.now());
    } else this.discarded.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closeCalls.push([code, reason]);
    this.closeCalledAt.push(performance.now());
    if (this.readyState < 2) this.readyState = 2;
  }

  // ── what the "server" does ──
  open(protocol = ''): void {
    this.readyState = 1;
    this.protocol = protocol;
    this.openedAt = performance.now();
    (this.onopen as ((e: unknown) => void) | null)?.({ type: 'open' });
  }
  receive(data: unknown): void {
    this.receivedAt.push(performance.now());
    (this.onmessage as ((e: unknown) => void) | null)?.({ type: 'message', data });
  }
  serverClose(code = 1000, reason = '', wasClean = true): void {
    this.readyState = 3;
    (this.onclose as ((e: unknown) => void) | null)?.({ type: 'close', code, reason, wasClean });
  }
  /** The TCP connection died (or the upgrade failed): error then close 1006. */
  fail(): void {
    this.readyState = 3;
    (this.onerror as ((e: unknown) => void) | null)?.({ type: 'error' });
    (this.onclose as ((e: unknown) => void) | null)?.({
      type: 'close',
      code: 1006,
      reason: '',
      wasClean: false,
    });
  }
  /** Completes a close the client started (the server echoed the close frame). */
  finishClose(): void {
    const [code = 1005, reason = ''] = this.closeCalls.at(-1) ?? [];
    this.serverClose(code, reason, true);
  }
}

/** The constructor to pass as the `WebSocket` option. */
export const FakeWS = FakeWebSocket as unknown as new (
  url: string,
  protocols?: string | string[],
) => WebSocket;
