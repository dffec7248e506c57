// reconnecting-websocket 4: takes the transport as its `WebSocket` option.
import ReconnectingWebSocket from 'reconnecting-websocket';
import type { LibAdapter } from './types';

export const reconnectingWebsocket: LibAdapter = {
  name: 'reconnecting-websocket',
  create(url, on, Transport) {
    const rws = new ReconnectingWebSocket(url, [], Transport ? { WebSocket: Transport } : {});
    rws.binaryType = 'arraybuffer';
    rws.onopen = () => on.open();
    rws.onmessage = (event) => on.message(event.data);
    return {
      send: (data) => rws.send(data),
      close: () => rws.close(),
    };
  },
};
