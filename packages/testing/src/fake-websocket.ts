// The client half: a minimal stand-in for the browser's `WebSocket`, enough for `@lifeline/core`
// and for code that uses the native surface. It never touches a timer or the network; the
// server half (`TestConnection`) decides when it opens, what it receives and when it closes.
import type { FrameData } from './types';

/** What the fake socket tells its server half. */
export interface ServerPeer {
  /** A frame the client sent while OPEN. */
  fromClient(data: FrameData): void;
  /** The client called `close()` (or aborted while connecting). */
  clientClosed(code: number | undefined, reason: string): void;
}

/** What attaches a new fake socket to its server, and where its listeners' errors go. */
export interface Attach {
  (ws: FakeWebSocket, url: string, protocols: string[]): ServerPeer;
  report(error: unknown): void;
}

/** A plain event object shaped like the native one (Node 20 has no `CloseEvent`). */
export interface FakeEvent {
  type: 'open' | 'message' | 'error' | 'close';
  target: FakeWebSocket;
  currentTarget: FakeWebSocket;
  data?: FrameData;
  code?: number;
  reason?: string;
  wasClean?: boolean;
}

type Listener = ((event: FakeEvent) => void) | { handleEvent(event: FakeEvent): void };
type Handler = ((event: FakeEvent) => void) | null;

const CLOSING = 2;
const CLOSED = 3;

/** `close()` accepts what browsers accept: 1000 or 3000–4999, and a reason of ≤ 123 bytes. */
function checkClose(code: number | undefined, reason: string): void {
  if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999)) {
    throw new RangeError(`InvalidAccessError: close code ${code} is not 1000 or 3000-4999`);
  }
  if (new TextEncoder().encode(reason).length > 123) {
    throw new SyntaxError('SyntaxError: the close reason is longer than 123 bytes');
  }
}

/** A fake `WebSocket`; use the subclass a `TestServer` hands out as `server.WebSocket`. */
export class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;

  readonly url: string;
  readyState = 0;
  protocol = '';
  extensions = '';
  binaryType: BinaryType = 'blob';
  bufferedAmount = 0;
  onopen: Handler = null;
  onmessage: Handler = null;
  onerror: Handler = null;
  onclose: Handler = null;

  private readonly _listeners = new Map<string, Listener[]>();
  private readonly _peer: ServerPeer;
  private readonly _report: (error: unknown) => void;

  constructor(url: string | URL, protocols: string | string[] | undefined, attach: Attach) {
    this.url = String(url);
    const list = protocols === undefined ? [] : Array.isArray(protocols) ? protocols : [protocols];
    this._report = attach.report;
    this._peer = attach(this, this.url, list);
  }

  send(data: FrameData): void {
    if (this.readyState === 0) throw new Error('InvalidStateError: the socket is still CONNECTING');
    // A browser discards what is sent while closing or closed, without an error.
    if (this.readyState === 1) this._peer.fromClient(data);
  }

  close(code?: number, reason = ''): void {
    checkClose(code, reason);
    if (this.readyState >= CLOSING) return;
    this.readyState = CLOSING;
    this._peer.clientClosed(code, reason);
  }

  addEventListener(type: string, listener: Listener | null): void {
    if (!listener) return;
    const list = this._listeners.get(type) ?? [];
    if (!list.includes(listener)) this._listeners.set(type, [...list, listener]);
  }

  removeEventListener(type: string, listener: Listener | null): void {
    const list = this._listeners.get(type);
    if (list && listener)
      this._listeners.set(
        type,
        list.filter((l) => l !== listener),
      );
  }

  // ── driven by the server half ──

  /** @internal */
  _open(protocol: string): void {
    this.readyState = 1;
    this.protocol = protocol;
    this._dispatch({ type: 'open' });
  }

  /** @internal */
  _message(data: FrameData): void {
    if (this.readyState === 1) this._dispatch({ type: 'message', data });
  }

  /** @internal An unclean end: `error`, then `close` 1006 (as a lost TCP connection). */
  _fail(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this._dispatch({ type: 'error' });
    this._dispatch({ type: 'close', code: 1006, reason: '', wasClean: false });
  }

  /** @internal */
  _closed(code: number, reason: string, wasClean: boolean): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this._dispatch({ type: 'close', code, reason, wasClean });
  }

  private _dispatch(init: Omit<FakeEvent, 'target' | 'currentTarget'>): void {
    const event: FakeEvent = { ...init, target: this, currentTarget: this };
    const handler = this[`on${init.type}`];
    // A copy: a listener that removes itself or another must not skip the next one.
    const listeners = [...(this._listeners.get(init.type) ?? [])];
    for (const listener of handler ? [handler, ...listeners] : listeners) {
      try {
        if (typeof listener === 'function') listener.call(this, event);
        else listener.handleEvent(event);
      } catch (error) {
        this._report(error); // like a browser: reported, and the other listeners still run
      }
    }
  }
}

/** Whether two URLs name the same endpoint (as parsed; as text when they do not parse). */
export function sameUrl(a: string, b: string | URL): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === String(b);
  }
}

/** A `WebSocket` constructor whose instances attach to one fake server. */
export function webSocketClass(attach: Attach): typeof globalThis.WebSocket {
  return class TestWebSocket extends FakeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, attach);
    }
  } as unknown as typeof globalThis.WebSocket;
}
