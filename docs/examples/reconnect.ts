import { defaultShouldReconnect, Socket } from '@lifeline/core';

// #region policy
const socket = new Socket('wss://api.example.com/live', {
  reconnect: {
    initialDelay: 500,
    maxDelay: 10_000,
    maxAttempts: 20,
    // Also retry our server's "token expired" code (the URL provider fetches a new token);
    // everything else as the default close-code table says.
    shouldReconnect: (close) => close.code === 4401 || defaultShouldReconnect(close),
  },
});

socket.on('close', ({ code, reason, willReconnect }) => {
  console.log(`closed ${code} ${reason}`, willReconnect ? '(will reconnect)' : '(final)');
});
socket.on('reconnecting', ({ attempt, delay }) => {
  console.log(`attempt ${attempt} in ${Math.round(delay)} ms`);
});
socket.on('giveup', ({ attempts, lastClose }) => {
  console.error(`gave up after ${attempts} attempts`, lastClose);
});
// #endregion policy
