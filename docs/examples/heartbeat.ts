import { Socket } from '@lifeline/core';

// #region heartbeat
const socket = new Socket('wss://api.example.com/live', {
  // Ping after 25 s of silence; no frame within 10 s → close 4000 and reconnect.
  heartbeat: { interval: 25_000, timeout: 10_000, message: '{"type":"ping"}' },
});

socket.on('wake', ({ sleptMs }) => {
  console.log(`device slept ${Math.round(sleptMs / 1000)} s; checking the connection`);
});
setInterval(() => console.log('latency', socket.latency, 'ms'), 60_000);
// #endregion heartbeat
