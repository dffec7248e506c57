// Lifeline through its drop-in surface, transport injected with the `WebSocket` option.
import { Socket } from '@lifeline/core';
import type { LibAdapter } from './types';

export const lifeline: LibAdapter = {
  name: 'lifeline',
  create(url, on, Transport) {
    const socket = new Socket(url, {
      binaryType: 'arraybuffer',
      ...(Transport ? { WebSocket: Transport } : {}),
    });
    socket.on('open', () => on.open());
    socket.onmessage = (event) => on.message(event.data);
    return {
      send: (data) => void socket.send(data),
      close: () => socket.close(),
    };
  },
};
