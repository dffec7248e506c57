// One WebSocket connection to the server under test, as a check sees it: it records every frame
// and lets a check wait (with a deadline) for the frame it expects or for the close.
import WebSocket from 'ws';
import { CheckFailure } from './failure';

/** A received text frame that parsed as a JSON object; other frames are kept as `undefined`. */
export type Json = Record<string, unknown>;

/** How a connection ended. */
export interface CloseInfo {
  code: number;
  reason: string;
}

/** Parses a frame; anything but a JSON object is `undefined` (a server may send junk, too). */
function parseObject(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Json)
      : undefined;
  } catch {
    return undefined;
  }
}

export class Peer {
  /** Every frame received so far, in order (`undefined` for one that is not a JSON object). */
  readonly frames: Array<Json | undefined> = [];
  private closeInfo: CloseInfo | undefined;
  /** Re-evaluated after every frame and on close; each resolves or keeps waiting. */
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly socket: WebSocket,
    private readonly timeout: number,
  ) {
    socket.on('message', (data, isBinary) => {
      this.frames.push(isBinary ? undefined : parseObject(data.toString()));
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closeInfo = { code, reason: reason.toString() };
      this.wake();
    });
    socket.on('error', () => {}); // the close that follows is what checks look at
  }

  /** Opens a connection, or throws a `CheckFailure` saying why it could not. */
  static open(url: string, timeout: number): Promise<Peer> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { handshakeTimeout: timeout });
      const fail = (why: string) => {
        socket.terminate();
        reject(new CheckFailure(`could not connect to ${url}: ${why}`));
      };
      socket.once('open', () => {
        socket.off('error', onError);
        socket.off('unexpected-response', onResponse);
        resolve(new Peer(socket, timeout));
      });
      const onError = (error: Error) => fail(error.message);
      const onResponse = (_request: unknown, response: { statusCode?: number }) =>
        fail(`HTTP ${response.statusCode ?? '?'} instead of a WebSocket upgrade`);
      socket.once('error', onError);
      socket.once('unexpected-response', onResponse);
    });
  }

  /** True while the connection is open. */
  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends an object as a JSON text frame, a string as a text frame, bytes as a binary frame. */
  send(frame: Json | string | Uint8Array): void {
    if (!this.open)
      throw new CheckFailure(`the server closed the connection (${this.describeClose()})`);
    if (typeof frame === 'string' || frame instanceof Uint8Array) this.socket.send(frame);
    else this.socket.send(JSON.stringify(frame));
  }

  /** Sends a request and waits for the frame whose `re` is its id. */
  request(type: string, id: string, data?: unknown): Promise<Json> {
    this.send(data === undefined ? { type, id } : { type, id, data });
    return this.waitFor((frame) => frame.re === id, `the reply to ${type} (id ${id})`);
  }

  /** The first frame, received already or later, that `match` accepts. */
  async waitFor(match: (frame: Json) => boolean, what: string): Promise<Json> {
    const [frame] = await this.waitForAll(match, 1, what);
    return frame!;
  }

  /** The first `count` frames that `match` accepts, in arrival order. */
  waitForAll(match: (frame: Json) => boolean, count: number, what: string): Promise<Json[]> {
    const found = () => this.frames.filter((frame): frame is Json => !!frame && match(frame));
    return this.until(() => {
      const frames = found();
      return frames.length >= count ? frames.slice(0, count) : undefined;
    }, `${what} (got ${found().length} of ${count})`);
  }

  /** Waits for the server to close the connection. */
  waitForClose(what: string): Promise<CloseInfo> {
    return this.until(() => this.closeInfo, what, true);
  }

  /** Ends the connection at once, as a network failure would (no closing handshake). */
  terminate(): void {
    this.socket.terminate();
  }

  private describeClose(): string {
    return this.closeInfo ? `code ${this.closeInfo.code}` : 'not open';
  }

  /** Resolves with `probe()`'s first defined value; fails on timeout, or on close unless `closing`. */
  private until<T>(probe: () => T | undefined, what: string, closing = false): Promise<T> {
    return new Promise((resolve, reject) => {
      const finish = (error?: CheckFailure, value?: T) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (error) reject(error);
        else resolve(value as T);
      };
      const check = () => {
        const value = probe();
        if (value !== undefined) return finish(undefined, value);
        if (this.closeInfo && !closing) {
          finish(
            new CheckFailure(
              `connection closed (${this.describeClose()}) while waiting for ${what}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        finish(new CheckFailure(`timed out after ${this.timeout} ms waiting for ${what}`));
      }, this.timeout);
      this.waiters.add(check);
      check();
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
