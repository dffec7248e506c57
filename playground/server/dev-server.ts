// The playground's dev server: the page over HTTP, and on `/ws` a @lifeline/server endpoint
// (endpoint.ts) that echoes, answers envelopes, publishes the `ticks` stream and injects
// faults on request. This file owns the HTTP side: static files, the port, and the gate in
// front of `/ws` that the `restart` fault closes.
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createOriginCheck, parseOrigin } from '@lifeline/server';
import type { ConnectionStats } from './connection';
import { createEndpoint } from './endpoint';
import { listenWithFallback } from './listen';
import { createHostCheck, ownOrigins } from './origin';
import { createStaticHandler } from './static-files';
import { startTicks } from './ticks';

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
  /** Milliseconds between two messages of the `ticks` stream [100]; 0 publishes none. */
  tickInterval?: number;
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
  /** Stops publishing and listening; every client gets 1012 (or is cut off after 1 s). */
  close(): Promise<void>;
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Close code sent to clients when the endpoint restarts (RFC 6455 registry: Service Restart). */
const RESTART_CODE = 1012;

const refuse = (socket: Duplex, status: string, headers: string[] = []) => {
  socket.end(
    `HTTP/1.1 ${status}\r\nConnection: close\r\n${headers.join('')}Content-Length: 0\r\n\r\n`,
  );
};

const isWsPath = (url: string | undefined) =>
  new URL(url ?? '/', 'http://localhost').pathname === '/ws';

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
  const tickInterval = options.tickInterval ?? 100;
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
  const port = await listenWithFallback(http, {
    port: options.port ?? 8787,
    host,
    tries: 20,
    log,
  });
  const origins = [...new Set([...ownOrigins(host, port), ...extraOrigins])];

  // The endpoint is mounted on a server that never listens: every upgrade reaches it through
  // the gate below, which can refuse them while the `restart` fault holds `/ws` down. The
  // process, the stream store and the reply cache live on, so clients resume without a resync.
  const mount = createServer();
  let downUntil = 0;
  let restartTimer: ReturnType<typeof setTimeout> | undefined;
  const endpoint = createEndpoint({
    mount,
    allowOrigins: origins,
    log,
    restart(seconds) {
      downUntil = Date.now() + seconds * 1000;
      log(
        `/ws restarting: closing ${endpoint.lifeline.clients} client(s), refusing connections for ${seconds} s`,
      );
      endpoint.closeAll(RESTART_CODE, `restarting, back in ${seconds} s`);
      clearTimeout(restartTimer);
      restartTimer = setTimeout(() => {
        downUntil = 0;
        log('/ws is back');
      }, seconds * 1000);
    },
  });
  const stopTicks =
    tickInterval > 0
      ? startTicks((...args) => endpoint.lifeline.publish(...args), tickInterval, log)
      : () => {};

  // The package's own check, run here too only to say in the log why a page was refused.
  const originAllowed = createOriginCheck(origins);
  const hostAllowed = createHostCheck(origins);
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (isWsPath(request.url)) {
      const { origin, host: hostHeader } = request.headers;
      if (origin !== undefined && !hostAllowed(hostHeader)) {
        socket.on('error', () => {});
        log(
          `/ws refused a page asking for host ${hostHeader} (HTTP 403): not one of this server's names`,
        );
        return refuse(socket, '403 Forbidden');
      }
      if (!originAllowed(origin, hostHeader)) {
        log(
          `/ws refused a page from ${origin} (HTTP 403): only ${origins.join(', ')} may connect. ` +
            'Trust another origin with PLAYGROUND_ORIGINS=<origin>[,…] (or allowedOrigins).',
        );
      } else if (Date.now() < downUntil) {
        socket.on('error', () => {});
        const retryAfter = Math.ceil((downUntil - Date.now()) / 1000);
        return refuse(socket, '503 Service Unavailable', [`Retry-After: ${retryAfter}\r\n`]);
      }
    }
    mount.emit('upgrade', request, socket, head);
  });

  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    port,
    url: `http://${authority}/`,
    wsUrl: `ws://${authority}/ws`,
    origins,
    get connections() {
      return endpoint.connections;
    },
    get clients() {
      return endpoint.lifeline.clients;
    },
    get down() {
      return Date.now() < downUntil;
    },
    async close() {
      clearTimeout(restartTimer);
      stopTicks();
      await endpoint.lifeline.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
