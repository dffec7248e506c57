// sockette: reads the global WebSocket and exposes only callbacks in its options.
import Sockette from 'sockette';
import { type LibAdapter, preferArrayBuffer, withGlobalWebSocket } from './types';

export const sockette: LibAdapter = {
  name: 'sockette',
  create(url, on, Transport) {
    const client = withGlobalWebSocket(
      Transport,
      () =>
        new Sockette(url, {
          onopen: (event) => {
            preferArrayBuffer(event);
            on.open();
          },
          onmessage: (event) => on.message(event.data),
        }),
    );
    return {
      send: (data) => client.send(data),
      close: () => client.close(),
    };
  },
};
