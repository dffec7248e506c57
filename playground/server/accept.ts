// The one line of crypto in a WebSocket handshake (RFC 6455 §4.2.2), computed here rather than
// taken from `ws` so the playground can show, and the page can check, what a server must answer.
import { createHash } from 'node:crypto';

/** The fixed GUID RFC 6455 appends to the client's key before hashing. */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * The `Sec-WebSocket-Accept` value a server must answer for a `Sec-WebSocket-Key`:
 * base64(SHA-1(key + GUID)).
 *
 * @example
 * computeAccept('dGhlIHNhbXBsZSBub25jZQ=='); // 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='
 */
export function computeAccept(key: string): string {
  return createHash('sha1')
    .update(key + WEBSOCKET_GUID)
    .digest('base64');
}
