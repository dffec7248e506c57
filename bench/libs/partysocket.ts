// partysocket's generic reconnecting socket (its `WebSocket` export), transport as an option.
import { WebSocket as PartyWebSocket } from 'partysocket';
import { driveWebSocketLike, type LibAdapter } from './types';

export const partysocket: LibAdapter = {
  name: 'partysocket',
  create: (url, on, Transport) =>
    driveWebSocketLike(new PartyWebSocket(url, [], Transport ? { WebSocket: Transport } : {}), on),
};
