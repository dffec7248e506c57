// partysocket's generic reconnecting socket (its `WebSocket` export), transport as an option.
import { WebSocket as PartyWebSocket } from 'partysocket';
import type { LibAdapter } from './types';

export const partysocket: LibAdapter = {
  name: 'partysocket',
  create(url, on, Transport) {
    const ws = new PartyWebSocket(url, [], Transport ? { WebSocket: Transport } : {});
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => on.open();
    ws.onmessage = (event) => on.message(event.data);
    return {
      send: (data) => ws.send(data),
      close: () => ws.close(),
    };
  },
};
