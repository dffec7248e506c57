// What the server saw in an upgrade request, as sent to the page in the `hello` envelope.
import type { IncomingMessage } from 'node:http';
import { computeAccept } from './accept';

/** The handshake as the dev server saw and answered it. */
export interface HandshakeInfo {
  /** e.g. `GET /ws HTTP/1.1`. */
  requestLine: string;
  upgrade: string | null;
  connection: string | null;
  key: string | null;
  version: string | null;
  origin: string | null;
  /** Subprotocols the client offered, in order. */
  protocols: string[];
  /** The subprotocol the server picked, or `null`. */
  protocol: string | null;
  /** The `Sec-WebSocket-Accept` the server answered. */
  accept: string | null;
}

const header = (request: IncomingMessage, name: string): string | null => {
  const value = request.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
};

/** Splits a `Sec-WebSocket-Protocol` header into its offered names. */
export function offeredProtocols(value: string | null): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** Describes an upgrade request and the answer the server gave it. */
export function describeHandshake(
  request: IncomingMessage,
  protocol: string | null,
): HandshakeInfo {
  const key = header(request, 'sec-websocket-key');
  return {
    requestLine: `${request.method} ${request.url} HTTP/${request.httpVersion}`,
    upgrade: header(request, 'upgrade'),
    connection: header(request, 'connection'),
    key,
    version: header(request, 'sec-websocket-version'),
    origin: header(request, 'origin'),
    protocols: offeredProtocols(header(request, 'sec-websocket-protocol')),
    protocol,
    accept: key === null ? null : computeAccept(key),
  };
}
