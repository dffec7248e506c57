// websocket-ts: reads the global WebSocket. Without a backoff it never reconnects, so this uses
// the retry setup from its README quick start (a constant 1 s backoff).
import { ConstantBackoff, WebsocketBuilder } from 'websocket-ts';
import { type LibAdapter, preferArrayBuffer, withGlobalWebSocket } from './types';

export const websocketTs: LibAdapter = {
  name: 'websocket-ts',
  create(url, on, Transport) {
    const ws = withGlobalWebSocket(Transport, () =>
      new WebsocketBuilder(url)
        .withBackoff(new ConstantBackoff(1000))
        .onOpen((_ws, event) => {
          preferArrayBuffer(event);
          on.open();
        })
        .onMessage((_ws, event) => on.message(event.data))
        .build(),
    );
    return {
      send: (data) => ws.send(data),
      close: () => ws.close(),
    };
  },
};
