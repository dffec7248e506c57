// An in-page stand-in for the native WebSocket: opens on the next task, fires messages in a tight
// loop and swallows sends, so per-message benchmarks measure library code and no network.

type Handler = ((this: FakeWebSocket, event: Event) => unknown) | null;

/** A network-free `WebSocket` look-alike with the same events and handler properties. */
export class FakeWebSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;

  /** The most recently constructed instance: how the harness reaches a library's transport. */
  static last: FakeWebSocket | undefined;

  readonly url: string;
  readyState = 0;
  protocol = '';
  extensions = '';
  bufferedAmount = 0;
  binaryType: BinaryType = 'blob';
  onopen: Handler = null;
  onmessage: Handler = null;
  onclose: Handler = null;
  onerror: Handler = null;
  /** Number of frames passed to `send` while open. */
  sent = 0;

  constructor(url: string | URL, _protocols?: string | string[]) {
    super();
    this.url = String(url);
    FakeWebSocket.last = this;
    setTimeout(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.fire(new Event('open'));
    }, 0);
  }

  send(_data: unknown): void {
    if (this.readyState !== 1)
      throw new DOMException('FakeWebSocket is not open', 'InvalidStateError');
    this.sent++;
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    setTimeout(() => {
      this.readyState = 3;
      this.fire(new CloseEvent('close', { code, reason, wasClean: true }));
    }, 0);
  }

  /** Delivers `count` message events carrying `data`, synchronously, as a busy socket would. */
  receive(count: number, data: unknown): void {
    for (let i = 0; i < count; i++) this.fire(new MessageEvent('message', { data }));
  }

  /** Delivers `frames[from]` … `frames[from + count - 1]`, each once, the way `receive` does. */
  receiveEach(frames: readonly unknown[], from: number, count: number): void {
    const end = from + count;
    for (let i = from; i < end; i++) this.fire(new MessageEvent('message', { data: frames[i] }));
  }

  private fire(event: Event): void {
    this.dispatchEvent(event);
    const handler = this[`on${event.type}` as 'onopen'];
    handler?.call(this, event);
  }
}

/** The fake typed as the constructor libraries expect (it has the same surface, not the brand). */
export const FakeTransport = FakeWebSocket as unknown as typeof WebSocket;
