// The inline script of the script-tag example, typechecked against the global the
// IIFE build (`lifeline.iife.min.js`) defines.
declare const Lifeline: typeof import('@lifeline/core');

// #region script
const socket = Lifeline.createSocket('/ws'); // relative: resolves to ws(s)://<this host>/ws
socket.on('message', (event) => console.log('received', event.data));
socket.on('status', (status) => {
  document.title = `chat (${status})`;
});
socket.send('hello'); // queued until open
// #endregion script
