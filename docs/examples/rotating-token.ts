import { Socket } from '@lifeline/core';

declare function fetchToken(): Promise<string>;

// #region provider
// Called before every attempt, so each reconnect carries a fresh token. Lifeline's debug
// logs redact `token=` query values; keep tokens out of your own logs too.
const socket = new Socket(async () => {
  const token = await fetchToken();
  return `wss://api.example.com/live?token=${encodeURIComponent(token)}`;
});
// #endregion provider

socket.on('error', (error) => console.error(error.message));
