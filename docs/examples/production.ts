// Production wiring for a `ws` server behind your own HTTP server: Origin check before the
// upgrade, and a rolling-restart shutdown with 1012.
import { createServer, type IncomingMessage } from 'node:http';
import { WebSocketServer } from 'ws';
import { attachLifelineProtocol } from './server';

declare function userFromCookie(cookie: string | undefined): Promise<string | undefined>;

const http = createServer();
const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
// Who each connection belongs to, so request ids are deduped per user.
const users = new WeakMap<IncomingMessage, string>();
attachLifelineProtocol(wss, {}, { clientKey: (request) => users.get(request) ?? '' });

// #region origin
const allowedOrigins = new Set(['https://app.example.com']);

http.on('upgrade', async (request, socket, head) => {
  // Browsers always send Origin on a WebSocket upgrade and scripts cannot change it.
  if (!allowedOrigins.has(request.headers.origin ?? '')) {
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
    return;
  }
  const user = await userFromCookie(request.headers.cookie);
  if (!user) {
    socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
    return;
  }
  users.set(request, user);
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});
// #endregion origin

// #region shutdown
process.on('SIGTERM', () => {
  http.close(); // stop accepting new connections
  for (const client of wss.clients) client.close(1012, 'service restart');
  // Give close frames a moment, then exit; clients reconnect to other instances.
  setTimeout(() => process.exit(0), 2000).unref();
});
// #endregion shutdown

http.listen(8080, '127.0.0.1');
