import { Socket } from '@lifeline/core';

declare function render(data: unknown): void;

export function before() {
  // #region before
  let ws: WebSocket;
  let retry = 1000;
  const connect = () => {
    ws = new WebSocket('wss://api.example.com/live', ['v1']);
    ws.onopen = () => {
      retry = 1000;
      ws.send(JSON.stringify({ type: 'subscribe', data: { room: 'tea' } }));
    };
    ws.onmessage = (event) => render(JSON.parse(event.data));
    ws.onclose = () => {
      setTimeout(connect, retry); // hand-rolled reconnect, no jitter, no close-code policy
      retry = Math.min(retry * 2, 30_000);
    };
  };
  connect();
  // #endregion before
}

export function after() {
  // #region after
  const ws = new Socket('wss://api.example.com/live', { protocols: ['v1'] });
  ws.onopen = () => {
    // Runs on every (re)connection: re-subscribe here, as before.
    ws.send(JSON.stringify({ type: 'subscribe', data: { room: 'tea' } }));
  };
  ws.onmessage = (event) => render(JSON.parse(event.data));
  ws.onclose = (event) => {
    // No reconnect code: Lifeline does it. `willReconnect` says whether it will.
    if (!event.willReconnect) console.log('closed for good', event.code);
  };
  // #endregion after
}
