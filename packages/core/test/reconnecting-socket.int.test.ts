// The smaller entry against a real `ws` server: a restart with messages queued while down.
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../../test/support/ws-server';
import { ReconnectingSocket } from '../src/reconnecting-socket';

let server: TestServer | undefined;
let socket: ReconnectingSocket | undefined;
afterEach(async () => {
  socket?.dispose();
  await server?.close();
});

const until = async (check: () => boolean, what: string) => {
  const end = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

it('ReconnectingSocket survives a server restart and delivers what was queued, in order', async () => {
  server = await startTestServer();
  const echoes: unknown[] = [];
  socket = new ReconnectingSocket(server.url(), {
    WebSocket,
    reconnect: { initialDelay: 50, maxDelay: 200 },
  });
  socket.onmessage = (event) => echoes.push(String(event.data));
  await until(() => socket!.status === 'open', 'open');
  socket.send('before');
  await until(() => echoes.length === 1, 'the first echo');
  const restarted = server.restart(300);
  await until(() => socket!.status === 'reconnecting', 'reconnecting');
  expect(['q1', 'q2', 'q3'].map((text) => socket!.send(text))).toEqual([
    'queued',
    'queued',
    'queued',
  ]);
  await restarted;
  await until(() => echoes.length === 4, 'four echoes');
  expect(server.received).toEqual(['before', 'q1', 'q2', 'q3']);
  expect(echoes).toEqual(['before', 'q1', 'q2', 'q3']);
});
