// Regression: Node's `ws` emits `error` when a socket is closed while still connecting; with
// no listener left, that error used to escape as an uncaught exception.
import { createServer, type Server, type Socket as Socket_ } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WS from 'ws';
import { Socket } from '../src/index';

let server: Server | undefined;
const accepted = new Set<Socket_>();
afterEach(async () => {
  for (const socket of accepted) socket.destroy();
  accepted.clear();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A TCP server that accepts connections and never answers the upgrade. */
async function silentTcpServer(): Promise<{ url: string; sockets: number }> {
  const state = { url: '', sockets: 0 };
  server = createServer((socket) => {
    state.sockets++;
    accepted.add(socket);
    socket.on('error', () => {});
    socket.resume(); // read, so a client hang-up is noticed
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  state.url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  return state;
}

describe('closing a ws transport that is still connecting', () => {
  it.each(['connect timeout', 'dispose', 'reconnect then dispose', 'close'])(
    'never lets an error escape (%s)',
    async (how) => {
      const escaped: unknown[] = [];
      const onUncaught = (error: unknown) => escaped.push(error);
      process.on('uncaughtException', onUncaught);
      try {
        const tcp = await silentTcpServer();
        const socket = new Socket(tcp.url, {
          WebSocket: WS as never,
          connectTimeout: 100,
          reconnect: { initialDelay: 10, maxAttempts: 1, jitter: 'none' },
        });
        await new Promise((resolve) => setTimeout(resolve, 30));
        if (how === 'dispose') socket.dispose();
        if (how === 'close') socket.close();
        if (how === 'reconnect then dispose') {
          socket.reconnect();
          socket.dispose();
        }
        if (how === 'connect timeout') {
          await new Promise<void>((resolve) => socket.on('giveup', () => resolve()));
          expect(tcp.sockets).toBe(2);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(socket.status).toBe('closed');
        expect(escaped).toEqual([]);
        socket.dispose();
      } finally {
        process.off('uncaughtException', onUncaught);
      }
    },
  );
});
