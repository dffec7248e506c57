// createServer: binds the protocol (connection.ts) to `ws` and an HTTP server. This file owns
// the handshake checks, the set of connections, the fan-out from the store, publishing and the
// graceful close; everything a frame triggers lives in connection.ts.
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { checkPublish, checkType } from './arguments';
import { Connection, type ConnectionHost } from './connection';
import { providesReplies, ReplyCache, type ReplyStore } from './dedupe';
import { ServerError } from './errors';
import { SafeEvents } from './events';
import { matchesPath, rejectHandshake } from './handshake';
import { closeForRestart, listenOwnServer, stopOwnServer } from './lifecycle';
import { startPinging } from './liveness';
import { type ResolvedOptions, resolveOptions, type ServerOptions } from './options';
import { createOriginCheck } from './origin';
import type { Position, StreamMessage } from './store';
import { encodeStreamMessage } from './subscription';
import type { RequestHandler, ServerEvents, ServerStats } from './types';

/**
 * A Lifeline protocol server on `ws`. Create it with {@link createServer}.
 *
 * @example
 * const server = createServer({ server: httpServer, allowOrigins: ['https://app.example.com'] });
 * server.handle('sum', ({ a, b }: any) => a + b);
 * await server.publish('room:42', 'chat', { text: 'hi' });
 */
export class LifelineServer {
  private readonly options: ResolvedOptions;
  private readonly http: HttpServer;
  private readonly ownsHttp: boolean;
  private readonly wss: WebSocketServer;
  private readonly handlers = new Map<string, RequestHandler>();
  private readonly events: SafeEvents<ServerEvents>;
  private readonly replies: ReplyStore;
  private readonly connections = new Set<Connection>();
  private readonly byStream = new Map<string, Set<Connection>>();
  private readonly originAllowed: (origin: string | undefined, host: string | undefined) => boolean;
  private readonly stopPinging: () => void;
  private readonly stopFanOut: () => void;
  private readonly listening: Promise<void>;
  private readonly host: ConnectionHost;
  private closing: Promise<void> | undefined;
  private readonly counters: ServerStats = {
    connections: 0,
    malformed: 0,
    oversize: 0,
    deduped: 0,
    refused: 0,
    timedOut: 0,
    errors: 0,
  };

  constructor(options: ServerOptions) {
    const resolved = resolveOptions(options);
    this.options = resolved;
    this.originAllowed = createOriginCheck(resolved.allowOrigins);
    this.events = new SafeEvents<ServerEvents>(this.report);
    // A shared store (Redis) keeps replies too, so a request resent to another node runs once.
    const { store, dedupeWindow } = resolved;
    this.replies = providesReplies(store)
      ? store.replyStore(dedupeWindow)
      : new ReplyCache(dedupeWindow);
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: resolved.maxPayload,
    });
    this.host = this.connectionHost();
    this.ownsHttp = resolved.server === undefined;
    if (resolved.server) {
      this.http = resolved.server;
      this.listening = Promise.resolve();
    } else {
      const own = listenOwnServer(resolved.port ?? 0, resolved.host, this.report);
      this.http = own.server;
      this.listening = own.listening;
    }
    this.http.on('upgrade', this.onUpgrade);
    this.stopFanOut = resolved.store.subscribe(this.fanOut);
    this.stopPinging = startPinging(
      resolved.pingInterval,
      () => [...this.connections],
      () => this.counters.timedOut++,
    );
  }

  /** The port it listens on, when it listens itself (not when mounted); set once listening. */
  get port(): number | undefined {
    if (!this.ownsHttp) return undefined;
    const address = this.http.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }

  /** Open connections. */
  get clients(): number {
    return this.connections.size;
  }

  /** Counters since start (a snapshot). */
  get stats(): Readonly<ServerStats> {
    return { ...this.counters };
  }

  /** Resolves once it listens (at once when mounted); rejects when listening failed. */
  ready(): Promise<void> {
    return this.listening;
  }

  /**
   * Answers requests of `type`: the resolved value becomes the reply's `data`; a thrown error
   * becomes an error reply `{ message, code: error.code ?? 'INTERNAL' }`. Replaces an earlier
   * handler of the same type.
   */
  handle(type: string, handler: RequestHandler): this {
    checkType('handle', type);
    if (typeof handler !== 'function') {
      throw new ServerError(
        'ERR_INVALID_ARGUMENT',
        `handle: the handler of "${type}" must be a function`,
      );
    }
    this.handlers.set(type, handler);
    return this;
  }

  /** Adds a listener; a listener that throws is reported as `error`, never breaks the server. */
  on<K extends keyof ServerEvents>(name: K, listener: (...args: ServerEvents[K]) => unknown): this {
    this.events.on(name, listener);
    return this;
  }

  /** Removes a listener added with `on`. */
  off<K extends keyof ServerEvents>(
    name: K,
    listener: (...args: ServerEvents[K]) => unknown,
  ): this {
    this.events.off(name, listener);
    return this;
  }

  /**
   * Appends a message to `stream` and sends it to its subscribers. Resolves with its position.
   * Rejects with `ERR_INVALID_ARGUMENT` (bad stream, reserved type, data not JSON) or `ERR_CLOSED`.
   */
  async publish(stream: string, type: string, data?: unknown): Promise<Position> {
    if (this.closing) throw new ServerError('ERR_CLOSED', 'publish: the server is closed');
    checkPublish(stream, type, data);
    const message = await this.options.store.append(stream, type, data);
    return { epoch: message.epoch, seq: message.seq };
  }

  /**
   * Graceful shutdown: refuses new handshakes, closes every client with 1012 'server restart'
   * (they reconnect), waits for them (at most `closeTimeout`, then cuts them off), closes the
   * default store, and stops listening when it listens itself. A mounted `server` stays up.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.stopPinging();
    this.stopFanOut();
    const { closeTimeout } = this.options;
    await Promise.all([...this.connections].map((c) => closeForRestart(c.socket, closeTimeout)));
    this.http.off('upgrade', this.onUpgrade);
    this.replies.close();
    this.byStream.clear();
    this.wss.close();
    if (this.options.ownsStore) await this.options.store.close();
    if (this.ownsHttp) await stopOwnServer(this.http);
  }

  private readonly report = (error: unknown): void => {
    this.counters.errors++;
    this.events.emitUnreported('error', error);
  };

  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!matchesPath(request.url, this.options.path)) {
      // Someone else's path. When nobody else listens for upgrades, nobody will answer it.
      if (this.ownsHttp || this.http.listenerCount('upgrade') === 1) rejectHandshake(socket, 404);
      return;
    }
    if (this.closing) return rejectHandshake(socket, 503);
    if (!this.originAllowed(request.headers.origin, request.headers.host)) {
      this.counters.refused++;
      return rejectHandshake(socket, 403);
    }
    void this.admit(request, socket, head);
  };

  private async admit(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const ignore = () => {}; // a reset while authorize runs; the socket is destroyed anyway
    socket.on('error', ignore);
    let verdict: 'allowed' | 'refused' | 'failed' = 'allowed';
    const { authorize } = this.options;
    if (authorize) {
      try {
        verdict = (await authorize({ request })) === true ? 'allowed' : 'refused';
      } catch (error) {
        this.report(error);
        verdict = 'failed';
      }
    }
    if (this.closing) {
      socket.off('error', ignore);
      return rejectHandshake(socket, 503);
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request, verdict));
    socket.off('error', ignore);
  }

  private accept(ws: WebSocket, request: IncomingMessage, verdict: string): void {
    ws.on('error', (error: Error & { code?: string }) => {
      // ws has already closed the connection (1009, 1002, 1007); we only count.
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.counters.oversize++;
    });
    if (verdict !== 'allowed') {
      // Closing after the handshake gives the client a close code; 1008 stops its retries,
      // 1011 (authorize itself failed) lets it try again.
      if (verdict === 'refused') this.counters.refused++;
      ws.close(
        verdict === 'refused' ? 1008 : 1011,
        verdict === 'refused' ? 'unauthorized' : 'internal error',
      );
      return;
    }
    if (this.closing) {
      ws.close(1012, 'server restart');
      return;
    }
    const connection = new Connection(ws, request, this.host);
    this.connections.add(connection);
    this.counters.connections++;
    ws.on('message', (raw, isBinary) => {
      try {
        connection.receive(raw as Buffer, isBinary);
      } catch (error) {
        this.report(error); // a bug of ours; the other clients must not notice
      }
    });
    ws.on('pong', () => {
      connection.alive = true;
    });
    ws.on('close', (code, reason) => {
      this.connections.delete(connection);
      connection.dispose();
      this.events.emit('disconnect', connection.context, { code, reason: reason.toString() });
    });
    this.events.emit('connection', connection.context);
  }

  private connectionHost(): ConnectionHost {
    const { byStream } = this;
    return {
      store: this.options.store,
      authorize: this.options.authorize,
      replies: this.replies,
      stats: this.counters,
      events: this.events,
      handlerFor: (type) => this.handlers.get(type),
      report: this.report,
      track(stream, connection) {
        let set = byStream.get(stream);
        if (!set) {
          set = new Set();
          byStream.set(stream, set);
        }
        set.add(connection);
      },
      untrack(stream, connection) {
        const set = byStream.get(stream);
        if (!set) return;
        set.delete(connection);
        if (set.size === 0) byStream.delete(stream);
      },
    };
  }

  private readonly fanOut = (message: StreamMessage): void => {
    const subscribers = this.byStream.get(message.stream);
    if (!subscribers) return;
    try {
      // Encoded to UTF-8 once for every subscriber, not once per send.
      const frame = Buffer.from(encodeStreamMessage(message));
      for (const connection of subscribers) connection.offer(message, frame);
    } catch (error) {
      this.report(error); // the store calls this inside append(): never throw into it
    }
  };
}
