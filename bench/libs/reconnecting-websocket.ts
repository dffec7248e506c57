// reconnecting-websocket 4: takes the transport as its `WebSocket` option.
import ReconnectingWebSocket from 'reconnecting-websocket';
import { driveWebSocketLike, type LibAdapter } from './types';

export const reconnectingWebsocket: LibAdapter = {
  name: 'reconnecting-websocket',
  create: (url, on, Transport) =>
    driveWebSocketLike(
      new ReconnectingWebSocket(url, [], Transport ? { WebSocket: Transport } : {}),
      on,
    ),
};
