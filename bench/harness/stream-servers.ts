// The servers of the stream benchmarks: the reference server (`@lifeline/server`) and, for the
// fan-out comparison, a socket.io server doing the same job with a room.
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type LifelineServer, memoryStore } from '@lifeline/server';
import { Server as SocketIoServer } from 'socket.io';

/** The `data` of every stream message the benchmarks publish: the same for both servers. */
export const STREAM_DATA = { text: 'x'.repeat(40) } as const;

export interface StreamServer {
  readonly url: string;
  /** Sends `count` messages to every subscriber of `stream` (a room, for socket.io). */
  publish(stream: string, count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * `@lifeline/server` on 127.0.0.1, keeping `maxPerStream` messages per stream. Pings are off (a
 * run is shorter than an interval) and any origin is allowed (the benchmark page has none).
 */
export async function startLifeline(
  maxPerStream = 1000,
): Promise<StreamServer & { server: LifelineServer }> {
  const server = createServer({
    port: 0,
    pingInterval: 0,
    allowOrigins: ['*'],
    store: memoryStore({ maxPerStream }),
  });
  await server.ready();
  return {
    server,
    url: `ws://127.0.0.1:${server.port}/ws`,
    async publish(stream, count) {
      // One after the other, as an application keeping order would.
      for (let i = 0; i < count; i++) await server.publish(stream, 'tick', STREAM_DATA);
    },
    close: () => server.close(),
  };
}

/**
 * The socket.io servers' options in every benchmark: WebSocket transport only (as the clients
 * use), and a heartbeat as good as off, as Lifeline's is: a client busy with a burst must not
 * be dropped for answering a ping late.
 */
export const SOCKET_IO_OPTIONS = {
  transports: ['websocket' as const],
  serveClient: false,
  pingInterval: 600_000,
  pingTimeout: 600_000,
};

/**
 * socket.io 4.8 on its own HTTP server on 127.0.0.1, WebSocket transport only (as the clients
 * use). A client emits `join` with a room name and is acknowledged once it is in the room.
 */
export async function startSocketIo(): Promise<StreamServer> {
  const http = createHttpServer();
  const io = new SocketIoServer(http, SOCKET_IO_OPTIONS);
  io.on('connection', (socket) => {
    socket.on('join', (room: unknown, ack: unknown) => {
      if (typeof room !== 'string' || typeof ack !== 'function') return;
      void socket.join(room);
      ack();
    });
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async publish(room, count) {
      for (let i = 0; i < count; i++) io.to(room).emit('tick', STREAM_DATA);
    },
    close: () =>
      new Promise<void>((done) => {
        io.close(() => done());
      }),
  };
}
