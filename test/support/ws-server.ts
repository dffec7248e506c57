// A real `ws` server on 127.0.0.1 for integration, e2e and chaos tests: it records what it
// received and can be restarted, killed or silenced to inject faults.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface TestServerOptions {
  /** Port to listen on; 0 (default) picks a free one, kept across restarts. */
  port?: number;
  /** Called for each connection; the default echoes every frame back. */
  onConnection?: (socket: WebSocket, request: IncomingMessage, server: TestServer) => void;
  /** Subprotocol selection, as `ws` takes it. */
  handleProtocols?: (protocols: Set<string>) => string | false;
}

export interface TestServer {
  readonly port: number;
  /** `ws://127.0.0.1:<port>` + path. */
  url(path?: string): string;
  /** Text frames received, in arrival order, across restarts. */
  readonly received: string[];
  /** Upgrade requests seen (url and headers), across restarts. */
  readonly upgrades: IncomingMessage[];
  readonly clients: Set<WebSocket>;
  /** Stop listening and close every client with `code` (default 1001), wait `downMs`, listen again. */
  restart(downMs?: number, code?: number): Promise<void>;
  /** Stop: clients closed with `code`, or killed without a close frame when `code` is 'terminate'. */
  stop(code?: number | 'terminate'): Promise<void>;
  start(): Promise<void>;
  /** Abort every TCP connection without a close frame (the client sees 1006). */
  terminateAll(): void;
  /** Wait until `predicate` holds, polling every 10 ms, or fail after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

const echo = (socket: WebSocket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
};

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  let port = options.port ?? 0;
  let http: Server | undefined;
  let wss: WebSocketServer | undefined;
  const received: string[] = [];
  const upgrades: IncomingMessage[] = [];
  const clients = new Set<WebSocket>();

  const server: TestServer = {
    get port() {
      return port;
    },
    url: (path = '/') => `ws://127.0.0.1:${port}${path}`,
    received,
    upgrades,
    clients,
    async start() {
      if (http) return;
      http = createServer((_req, res) => {
        res.writeHead(426).end('WebSocket only');
      });
      wss = new WebSocketServer({
        server: http,
        ...(options.handleProtocols ? { handleProtocols: options.handleProtocols } : {}),
      });
      wss.on('connection', (socket, request) => {
        clients.add(socket);
        upgrades.push(request);
        socket.on('close', () => clients.delete(socket));
        socket.on('message', (data, isBinary) => {
          if (!isBinary) received.push(data.toString());
        });
        (options.onConnection ?? echo)(socket, request, server);
      });
      await new Promise<void>((resolve, reject) => {
        http!.once('error', reject);
        http!.listen(port, '127.0.0.1', () => resolve());
      });
      port = (http.address() as AddressInfo).port;
    },
    async stop(code = 1001) {
      const closingHttp = http;
      const closingWss = wss;
      http = undefined;
      wss = undefined;
      if (!closingHttp || !closingWss) return;
      // Stop accepting first, so no client slips in while the others are being closed.
      const closed = new Promise<void>((resolve) => closingHttp.close(() => resolve()));
      for (const client of clients) {
        if (code === 'terminate') client.terminate();
        else client.close(code, 'server stopping');
      }
      // Give clean closes a moment to flush before tearing the TCP connections down.
      if (code !== 'terminate' && clients.size > 0) await delay(50);
      for (const client of clients) client.terminate();
      clients.clear();
      await new Promise<void>((resolve) => closingWss.close(() => resolve()));
      closingHttp.closeAllConnections();
      await closed;
    },
    async restart(downMs = 0, code = 1001) {
      await server.stop(code);
      if (downMs > 0) await delay(downMs);
      await server.start();
    },
    terminateAll() {
      for (const client of clients) client.terminate();
    },
    async waitFor(predicate, timeoutMs = 5000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline)
          throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
        await delay(10);
      }
    },
    async close() {
      await server.stop('terminate');
    },
  };
  await server.start();
  return server;
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
