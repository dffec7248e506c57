// The baseline: the browser's own WebSocket (or the fake transport) with plain handlers.
import { driveWebSocketLike, type LibAdapter } from './types';

export const native: LibAdapter = {
  name: 'native',
  create: (url, on, Transport = globalThis.WebSocket) => driveWebSocketLike(new Transport(url), on),
};
