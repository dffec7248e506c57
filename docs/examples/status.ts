import { Socket } from '@lifeline/core';

declare function showBanner(text: string | null): void;

// #region watch
const socket = new Socket('wss://api.example.com/live');

socket.on('status', (status, previous) => {
  if (status === 'reconnecting') showBanner('Connection lost, reconnecting…');
  if (status === 'open' && previous === 'reconnecting') showBanner(null);
  if (status === 'closed') showBanner('Disconnected.');
});
socket.on('open', ({ attempt, reconnected }) => {
  // attempt: the reconnect attempt that succeeded (0: the first try)
  if (reconnected) console.log(`back after ${attempt} attempt(s)`);
});
console.log(socket.status, socket.readyState === Socket.CONNECTING);
// #endregion watch
