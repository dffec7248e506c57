// The dev server's WebSocket endpoint: a @lifeline/server instance with the playground's
// handlers (echo, sum, faults, connections), the raw-text echo, the `connections` count sent
// to every client when it changes, and a PlaygroundConnection per client for the hello
// envelope and the fault state.
import type { Server as HttpServer } from 'node:http';
import { type Context, createServer, type LifelineServer } from '@lifeline/server';
import { type ConnectionStats, PlaygroundConnection } from './connection';
import { describeHandshake } from './handshake';
import { answerEvent, sum } from './protocol';

/** What the endpoint needs from the dev server around it. */
export interface EndpointOptions {
  /** The HTTP server whose upgrades the endpoint takes. */
  mount: HttpServer;
  /** Browser origins allowed to connect (the package also allows the request's own host). */
  allowOrigins: string[];
  /** Takes the whole endpoint down for `seconds` (the `restart` fault). */
  restart(seconds: number): void;
  log(line: string): void;
}

/** The running endpoint. */
export interface Endpoint {
  readonly lifeline: LifelineServer;
  /** Counters of every open connection. */
  readonly connections: ConnectionStats[];
  /** Closes every open connection with `code`. */
  closeAll(code: number, reason: string): void;
}

/** How long `close()` waits for each client's closing handshake: Ctrl-C stays snappy. */
const CLOSE_TIMEOUT_MS = 1000;

/** Creates the endpoint on `options.mount` (path `/ws`). */
export function createEndpoint(options: EndpointOptions): Endpoint {
  const { log } = options;
  const lifeline = createServer({
    server: options.mount,
    path: '/ws',
    allowOrigins: options.allowOrigins,
    closeTimeout: CLOSE_TIMEOUT_MS,
  });
  const connections = new Map<Context, PlaygroundConnection>();
  let nextId = 1;

  /** The playground side of `ctx`; the package emits nothing for a connection before `connection`. */
  const of = (ctx: Context) => connections.get(ctx);

  /** `{ count }` of open connections: what tabs sharing one socket show (docs: sharing). */
  const connectionCount = () => ({ count: lifeline.clients });
  // Through each connection's gate, like any reply: a blackholed client hears nothing.
  const announceCount = () => {
    const data = connectionCount();
    for (const ctx of connections.keys()) ctx.send('connections', data);
  };

  lifeline.on('connection', (ctx) => {
    const id = nextId++;
    const handshake = describeHandshake(ctx.request, ctx.socket.protocol || null);
    log(
      `#${id} connected from ${ctx.request.socket.remoteAddress} (origin ${handshake.origin ?? '-'})`,
    );
    connections.set(ctx, new PlaygroundConnection(id, ctx, handshake, options));
    announceCount();
  });
  lifeline.on('disconnect', (ctx, { code }) => {
    const connection = of(ctx);
    connections.delete(ctx);
    connection?.dispose();
    log(`#${connection?.id ?? '?'} closed (${code})`);
    announceCount();
  });
  lifeline.on('error', (error) => log(`/ws error: ${String(error)}`));

  // Text that is no envelope, and binary frames, come back as they went.
  lifeline.on('malformed', (raw, ctx) => of(ctx)?.echo(raw));
  lifeline.on('message', ({ type, data }, ctx) => {
    const connection = of(ctx);
    if (!connection || connection.blackholed) return;
    if (type === 'fault') return connection.faultEvent(data);
    const answer = answerEvent(type, data);
    if (answer) ctx.send(answer.type, answer.data);
  });

  // A blackholed connection's replies are swallowed by its gate; its faults are ignored.
  lifeline.handle('echo', (data) => data);
  lifeline.handle('sum', (data) => sum(data));
  // A tab that joins a shared connection later missed the last announcement: it asks.
  lifeline.handle('connections', () => connectionCount());
  lifeline.handle('fault', (data, ctx) => of(ctx)?.faultRequest(data));

  return {
    lifeline,
    get connections() {
      return [...connections.values()].map((connection) => connection.stats);
    },
    closeAll(code, reason) {
      for (const ctx of connections.keys()) ctx.close(code, reason);
    },
  };
}
