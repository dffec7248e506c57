// How a server derives `Sec-WebSocket-Accept` from the client's `Sec-WebSocket-Key`
// (RFC 6455 §4.2.2). Browsers and `ws` do this for you; it is here to make the handshake
// concrete, and the docs test recomputes the page's worked example with it.
import { createHash } from 'node:crypto';

// #region accept
/** The fixed GUID every WebSocket server appends to the key. */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** base64(SHA-1(key + GUID)): the value of `Sec-WebSocket-Accept`. */
export function acceptFor(key: string): string {
  return createHash('sha1')
    .update(key + WEBSOCKET_GUID)
    .digest('base64');
}
// #endregion accept
