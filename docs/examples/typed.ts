import { Socket } from '@lifeline/core';

// #region typed
type Incoming = { chat: { from: string; text: string }; presence: { online: string[] } };
type Outgoing = { chat: { text: string }; typing: { on: boolean } };
type Requests = { sum: { data: { a: number; b: number }; reply: number } };

const socket = new Socket<Incoming, Outgoing, Requests>('wss://api.example.com/live');

socket.onMessage('chat', (data) => console.log(`${data.from}: ${data.text}`));
socket.sendJson('typing', { on: true });
const total: number = await socket.request('sum', { a: 1, b: 2 });
// @ts-expect-error: 'typing' takes { on: boolean }
socket.sendJson('typing', { text: 'hi' });
// #endregion typed
console.log(total);
