// robust-websocket: reads the global WebSocket; events are re-dispatched from the native one.
import RobustWebSocket from 'robust-websocket';
import { type LibAdapter, preferArrayBuffer, withGlobalWebSocket } from './types';

export const robustWebsocket: LibAdapter = {
  name: 'robust-websocket',
  create(url, on, Transport) {
    const ws = withGlobalWebSocket(Transport, () => new RobustWebSocket(url));
    ws.addEventListener('open', (event: Event) => {
      preferArrayBuffer(event);
      on.open();
    });
    ws.addEventListener('message', (event: Event) => on.message((event as MessageEvent).data));
    return {
      send: (data) => ws.send(data),
      close: () => ws.close(),
    };
  },
};
