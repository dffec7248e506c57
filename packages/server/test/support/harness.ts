// Integration helpers: a LifelineServer on 127.0.0.1:0 and raw `ws` clients that record every
// frame, so tests see exactly what went over the wire.
import { WebSocket } from 'ws';
import { createServer, type LifelineServer, type ServerOptions } from '../../src/index';

/** Stopped by `cleanUp()` (call it in afterEach/afterAll), newest first. */
const cleanups: Array<() => unknown> = [];

export async function cleanUp(): Promise<void> {
  for (const step of cleanups.splice(0).reverse()) await step();
}

/** Registers a step for `cleanUp()`. */
export function onCleanUp(step: () => unknown): void {
  cleanups.push(step);
}

// Captured at load, so polling keeps working in a test that fakes the global timers.
const realSetTimeout = globalThis.setTimeout;

export const delay = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

/** Polls `predicate` every 5 ms; fails naming `what` after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(5);
  }
}

/** A server listening on a free port of 127.0.0.1; closed by `cleanUp()`. */
export async function startServer(
  options: Omit<ServerOptions, 'port' | 'server'> = {},
): Promise<{ server: LifelineServer; url: string }> {
  const server = createServer({ port: 0, ...options });
  onCleanUp(() => server.close());
  await server.ready();
  return { server, url: `ws://127.0.0.1:${server.port}${options.path ?? '/ws'}` };
}

// biome-ignore lint/suspicious/noExplicitAny: frames are whatever the server sent
export type Frame = Record<string, any>;

/** A raw client recording every frame it receives (JSON-decoded when possible). */
export class TestClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('error', () => {}); // handshake failures reject open(); later ones show as close codes
    ws.on('message', (data) => {
      const text = String(data);
      try {
        this.frames.push(JSON.parse(text));
      } catch {
        this.frames.push({ raw: text });
      }
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  /** Opens a client (closed by `cleanUp()`); rejects when the handshake fails. */
  static open(url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}) {
    const ws = new WebSocket(url, options);
    const client = new TestClient(ws);
    onCleanUp(() => client.close());
    return new Promise<TestClient>((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  send(frame: Frame | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first recorded frame matching `match`, waiting for it. */
  async next(match: (frame: Frame) => boolean, what: string, timeoutMs = 5000): Promise<Frame> {
    await until(() => this.frames.some(match), what, timeoutMs);
    return this.frames.find(match)!;
  }

  /** The reply to request `id`. */
  reply(id: string, timeoutMs?: number): Promise<Frame> {
    return this.next((frame) => frame.re === id, `the reply to ${id}`, timeoutMs);
  }

  /** Stream messages of `stream` received so far. */
  streamed(stream: string): Frame[] {
    return this.frames.filter((frame) => frame.stream === stream && frame.re === undefined);
  }

  /** Sends a request and waits for its reply. */
  async request(type: string, id: string, data?: unknown): Promise<Frame> {
    this.send({ type, id, data });
    return this.reply(id);
  }

  close(): Promise<unknown> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    this.ws.close();
    return this.closed;
  }
}

/** A never-settling-until-released promise, to hold a handler in flight. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}
