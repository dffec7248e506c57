// The HTTP side of an upgrade, before `ws` takes the socket: which path is ours, and how a
// refusal is written (a plain HTTP response, since no WebSocket exists yet).
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** True when the request URL's path is `path` (query ignored). */
export function matchesPath(url: string | undefined, path: string): boolean {
  if (url === undefined) return false;
  try {
    return new URL(url, 'http://host.invalid').pathname === path;
  } catch {
    return false;
  }
}

/** Answers an upgrade request with an HTTP error status and ends the socket. */
export function rejectHandshake(socket: Duplex, status: number): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const text = STATUS_CODES[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
  // A client that never reads would keep the socket half-open.
  socket.once('finish', () => socket.destroy());
}
