// The playground's dev server: the page over HTTP and a WebSocket endpoint on `/ws` that
// echoes, answers envelopes and injects faults on request.
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { type ConnectionStats, PlaygroundConnection } from './connection';
import { describeHandshake } from './handshake';
import { listenWithFallback } from './listen';
import { createOriginCheck, ownOrigins, parseOrigin } from './origin';
import { createStaticHandler } from './static-files';

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  /** Preferred port [8787]; the next free one is taken when busy; 0 picks any free port. */
  port?: number;
  /** Interface to listen on ['127.0.0.1']. */
  host?: string;
  /** Folder with `index.html` and the page's files [the playground folder]. */
  staticDir?: string;
  /** Folder with `lifeline.iife.min.js` [packages/core/dist]. */
  coreDist?: string;
  /**
   * Origins besides the server's own whose pages may open `/ws` [none]. The server's own
   * (`http://127.0.0.1:PORT`, `http://localhost:PORT`, `http://[::1]:PORT`) and clients that
   * send no `Origin` (Node tools, tests) are always accepted; every other browser page gets
   * HTTP 403. `pnpm dev` reads these from `PLAYGROUND_ORIGINS`.
   */
  allowedOrigins?: string[];
  /** Where log lines go [console.log]. */
  log?: (line: string) => void;
}

/** A running dev server. */
export interface DevServer {
  readonly port: number;
  /** The page, e.g. `http://127.0.0.1:8787/`. */
  readonly url: string;
  /** The WebSocket endpoint, e.g. `ws://127.0.0.1:8787/ws`. */
  readonly wsUrl: string;
  /** Connected WebSocket clients. */
  readonly clients: number;
  /** Whether `/ws` is refusing connections after a `restart` fault. */
  readonly down: boolean;
  /** Origins whose pages may open `/ws`. */
  readonly origins: readonly string[];
  /** Counters of every open connection (buffered bytes, the running flood). */
  readonly connections: ConnectionStats[];
  /** Stops listening and kills every connection. */
  close(): Promise<void>;
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Close code sent to clients when the endpoint restarts (RFC 6455 registry: Service Restart). */
const RESTART_CODE = 1012;

/**
 * Starts the playground server.
 *
 * @example
 * const server = await startDevServer({ port: 0, log: () => {} });
 * new WebSocket(server.wsUrl);
 * await server.close();
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => console.log(line));
  // Validated before listening, so a typo fails at start rather than at the first connection.
  const extraOrigins = (options.allowedOrigins ?? []).map(parseOrigin);
  const coreDist = options.coreDist ?? here('../../packages/core/dist');
  const serveStatic = createStaticHandler({
    root: options.staticDir ?? here('..'),
    mapped: Object.fromEntries(
      ['lifeline.iife.min.js', 'lifeline.iife.min.js.map'].map((name) => [
        `/${name}`,
        {
          file: `${coreDist}/${name}`,
          missing: `${coreDist}/${name} is missing: build core first (pnpm build, or pnpm dev which watches it).`,
        },
      ]),
    ),
  });

  const http = createServer((request, response) => {
    serveStatic(request, response).catch((error: unknown) => {
      log(`static: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  // Browsers refuse a handshake that offers subprotocols and gets none back: take the first.
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => protocols.values().next().value ?? false,
  });

  const connections = new Set<PlaygroundConnection>();
  // Set once the port is known; until then no upgrade can arrive.
  let originAllowed: (origin: string | undefined) => boolean = () => false;
  let origins: string[] = [];
  let nextId = 1;
  let downUntil = 0;
  let restartTimer: ReturnType<typeof setTimeout> | undefined;

  const restart = (seconds: number) => {
    downUntil = Date.now() + seconds * 1000;
    log(
      `/ws restarting: closing ${wss.clients.size} client(s), refusing connections for ${seconds} s`,
    );
    for (const client of wss.clients)
      client.close(RESTART_CODE, `restarting, back in ${seconds} s`);
    clearTimeout(restartTimer);
    restartTimer = setTimeout(() => {
      downUntil = 0;
      log('/ws is back');
    }, seconds * 1000);
  };

  const refuse = (socket: Duplex, status: string, headers: string[] = []) => {
    socket.end(
      `HTTP/1.1 ${status}\r\nConnection: close\r\n${headers.join('')}Content-Length: 0\r\n\r\n`,
    );
  };

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/ws') {
      refuse(socket, '404 Not Found');
      return;
    }
    const origin = request.headers.origin;
    if (!originAllowed(origin)) {
      log(
        `/ws refused a page from ${origin} (HTTP 403): only ${origins.join(', ')} may connect. ` +
          'Trust another origin with PLAYGROUND_ORIGINS=<origin>[,…] (or allowedOrigins).',
      );
      refuse(socket, '403 Forbidden');
      return;
    }
    if (Date.now() < downUntil) {
      const retryAfter = Math.ceil((downUntil - Date.now()) / 1000);
      refuse(socket, '503 Service Unavailable', [`Retry-After: ${retryAfter}\r\n`]);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const id = nextId++;
      const handshake = describeHandshake(request, ws.protocol || null);
      log(
        `#${id} connected from ${request.socket.remoteAddress} (origin ${handshake.origin ?? '-'})`,
      );
      const connection = new PlaygroundConnection(id, ws, handshake, { restart, log });
      connections.add(connection);
      ws.on('close', (code) => {
        connections.delete(connection);
        log(`#${id} closed (${code})`);
      });
    });
  });

  const port = await listenWithFallback(http, {
    port: options.port ?? 8787,
    host,
    tries: 20,
    log,
  });
  origins = [...new Set([...ownOrigins(host, port), ...extraOrigins])];
  originAllowed = createOriginCheck(origins);
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    port,
    url: `http://${authority}/`,
    wsUrl: `ws://${authority}/ws`,
    origins,
    get connections() {
      return [...connections].map((connection) => connection.stats);
    },
    get clients() {
      return wss.clients.size;
    },
    get down() {
      return Date.now() < downUntil;
    },
    async close() {
      clearTimeout(restartTimer);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
