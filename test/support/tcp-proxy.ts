// A plain TCP proxy on 127.0.0.1 that a chaos test can cut at any instant: `cut()` destroys
// every open client/upstream pair at once, so the client sees an unclean close (1006) at
// whatever point of the handshake, subscribe exchange or replay the bytes happened to be.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  url(path?: string): string;
  /** Open client connections. */
  readonly open: number;
  /** How many connections `cut()` destroyed so far. */
  readonly cuts: number;
  /** Destroys every open connection, both sides, without a close handshake. */
  cut(): number;
  close(): Promise<void>;
}

/** Starts a proxy in front of `upstreamPort` on a free loopback port. */
export async function startTcpProxy(upstreamPort: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let cuts = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // Errors are expected here (resets from cuts); each side just ends the pair.
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const proxy: TcpProxy = {
    port,
    url: (path = '/') => `ws://127.0.0.1:${port}${path}`,
    get open() {
      return pairs.size;
    },
    get cuts() {
      return cuts;
    },
    cut() {
      const n = pairs.size;
      for (const [client, upstream] of [...pairs]) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
      cuts += n;
      return n;
    },
    close() {
      proxy.cut();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
