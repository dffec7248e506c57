// #region node
import { Socket } from '@lifeline/core';
import WebSocket from 'ws';

// Node has no global WebSocket before v22; Lifeline takes any constructor with its shape.
const socket = new Socket('ws://127.0.0.1:8080', {
  WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
});
console.log(await socket.request('sum', { a: 1, b: 2 })); // 3
socket.dispose();
// #endregion node
