// Starting and stopping what the server owns: its own HTTP server (when not mounted) and, on
// close, each client's connection.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { WebSocket } from 'ws';

/**
 * An HTTP server listening on `host:port` that answers plain requests with 426, and a promise
 * of it listening. A listen error goes to `onError` and rejects the promise (which is handled,
 * so nobody has to wait on it).
 */
export function listenOwnServer(
  port: number,
  host: string,
  onError: (error: Error) => void,
): { server: HttpServer; listening: Promise<void> } {
  const server = createHttpServer((_request, response) => {
    response.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
    response.end('This endpoint speaks WebSocket.');
  });
  const listening = new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => {
      onError(error);
      reject(error);
    };
    server.once('error', failed);
    server.once('listening', () => {
      server.off('error', failed);
      resolve();
    });
  });
  listening.catch(() => {});
  server.listen(port, host);
  return { server, listening };
}

/** Stops `server` listening and drops its idle keep-alive connections. */
export async function stopOwnServer(server: HttpServer): Promise<void> {
  if (!server.listening) return;
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await stopped;
}

/**
 * Closes `socket` with 1012 'server restart' (clients reconnect) and resolves once it closed;
 * a client that does not finish the closing handshake within `timeout` ms is cut off.
 */
export function closeForRestart(socket: WebSocket, timeout: number): Promise<void> {
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.close(1012, 'server restart');
  const timer = setTimeout(() => socket.terminate(), timeout);
  return closed.finally(() => clearTimeout(timer));
}
