import { Socket } from '@lifeline/core';

declare function getToken(): Promise<string>;

// #region equivalent
// reconnecting-websocket 4.x:
//   new ReconnectingWebSocket(urlProvider, ['v1'], {
//     minReconnectionDelay: 1000, maxReconnectionDelay: 10000, reconnectionDelayGrowFactor: 1.3,
//     minUptime: 5000, connectionTimeout: 4000, maxRetries: 20, maxEnqueuedMessages: 100,
//   });
const socket = new Socket(async () => `wss://api.example.com/live?token=${await getToken()}`, {
  protocols: ['v1'],
  connectTimeout: 4000,
  reconnect: {
    initialDelay: 1000,
    maxDelay: 10_000,
    factor: 1.3,
    jitter: 'none', // reconnecting-websocket does not randomise each wait
    resetAfter: 5000,
    maxAttempts: 20,
    // reconnecting-websocket retries every close it did not cause, whatever the code:
    shouldReconnect: () => true,
  },
  queue: { maxMessages: 100, overflow: 'drop-newest' },
});
// #endregion equivalent

// #region retry-count
// rws.retryCount → the attempt number of each scheduled retry
socket.on('reconnecting', ({ attempt, delay }) => console.log(`retry ${attempt} in ${delay} ms`));
// rws.reconnect() → socket.reconnect() (also resets the attempt count)
socket.reconnect();
// #endregion retry-count
