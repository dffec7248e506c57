// Getting started: the few lines most apps need.
// #region connect
import { Socket } from '@lifeline/core';

const socket = new Socket('wss://example.com/live', { heartbeat: true });

socket.on('status', (status, previous) => console.log(`${previous} → ${status}`));
socket.onMessage('chat', (data) => console.log('chat', data));

// Safe before the connection is open: it is queued and flushed in order on open.
socket.sendJson('chat', { text: 'hello' });

// A request waits for the reply with the same id, across reconnects.
const total = await socket.request('sum', { a: 1, b: 2 });
console.log('1 + 2 =', total);
// #endregion connect

// #region teardown
// When the page or component is done with it: closes, rejects pending requests,
// removes every listener and timer.
socket.dispose();
// #endregion teardown
