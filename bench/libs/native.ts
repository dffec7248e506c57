// The baseline: the browser's own WebSocket (or the fake transport) with plain handlers.
import type { LibAdapter } from './types';

export const native: LibAdapter = {
  name: 'native',
  create(url, on, Transport = globalThis.WebSocket) {
    const ws = new Transport(url);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => on.open();
    ws.onmessage = (event) => on.message(event.data);
    return {
      send: (data) => ws.send(data),
      close: () => ws.close(),
    };
  },
};
