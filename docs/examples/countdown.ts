import { Socket } from '@lifeline/core';

declare const label: { textContent: string | null };

// #region countdown
const socket = new Socket('wss://api.example.com/live');
let timer: ReturnType<typeof setInterval> | undefined;

socket.on('reconnecting', ({ attempt, delay }) => {
  const due = Date.now() + delay;
  clearInterval(timer);
  timer = setInterval(() => {
    const seconds = Math.max(0, Math.ceil((due - Date.now()) / 1000));
    label.textContent = `Reconnecting (attempt ${attempt}) in ${seconds} s`;
  }, 250);
});
socket.on('status', (status) => {
  if (status !== 'reconnecting') clearInterval(timer);
});
// #endregion countdown
