import { LifelineError, Socket } from '@lifeline/core';

// #region options
const socket = new Socket('wss://api.example.com/live', {
  queue: {
    maxMessages: 100, // at most 100 messages waiting…
    maxBytes: 64 * 1024, // …and at most 64 KiB of them
    maxAge: 30_000, // a cursor position from 30 s ago is worse than none
    overflow: 'drop-oldest',
  },
});

socket.on('drop', ({ data, reason }) => {
  console.warn(`dropped a queued message (${reason})`, data);
});
// #endregion options

// #region send
const result = socket.send(JSON.stringify({ x: 10, y: 20 }));
// 'sent': handed to the browser's WebSocket (not a delivery receipt)
// 'queued': waiting for the connection to open
// 'dropped': the queue was full ('drop-newest'), or queueing is off
console.log(result, socket.queued, socket.bufferedAmount);
// #endregion send

// #region strict
const strict = new Socket('wss://api.example.com/live', { queue: { overflow: 'error' } });
try {
  strict.sendJson('move', { x: 1 });
} catch (error) {
  if (error instanceof LifelineError && error.code === 'ERR_QUEUE_FULL') {
    console.warn('offline for too long; stop producing');
  }
}
// #endregion strict
