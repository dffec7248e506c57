// Public entry of @lifeline/server, the Node reference server of the Lifeline protocol.
//
// Where things are: server.ts (createServer: handshakes, connections, fan-out, publish, close)
// composes connection.ts (one client: frame routing, requests, subscriptions), subscription.ts
// (the pending-buffer handshake of one stream), dedupe.ts (replies by request id),
// memory-store.ts (the default StreamStore), origin.ts, options.ts, seq.ts, envelope.ts.
// redis-store.ts (+ redis/) is the separate entry `@lifeline/server/redis`.

import type { ServerOptions } from './options';
import { LifelineServer } from './server';

export type { CachedRun, ReplyStore, ReplyStoreProvider } from './dedupe';
export { decodeEnvelope, type Envelope } from './envelope';
export { ReplyError, ServerError, type ServerErrorCode } from './errors';
export { type MemoryStoreOptions, memoryStore } from './memory-store';
export type { ServerOptions } from './options';
export { createOriginCheck, normalizeOrigin, parseOrigin } from './origin';
export { compareSeq, isSeq, nextSeq } from './seq';
export { LifelineServer } from './server';
export type { Position, ReadResult, StreamMessage, StreamStore } from './store';
export type {
  Authorize,
  AuthorizeContext,
  Context,
  DisconnectInfo,
  RequestHandler,
  ServerEvents,
  ServerStats,
} from './types';

/**
 * Creates a Lifeline server: mounted on your `http.Server` (`server`), or listening itself
 * (`port`, `host`). Throws `ServerError` `ERR_INVALID_OPTION` for bad options.
 *
 * @example
 * import { createServer as createHttpServer } from 'node:http';
 * import { createServer } from '@lifeline/server';
 *
 * const http = createHttpServer();
 * const lifeline = createServer({ server: http, path: '/ws' });
 * lifeline.handle('sum', ({ a, b }: any) => a + b);
 * http.listen(8080);
 */
export function createServer(options: ServerOptions): LifelineServer {
  return new LifelineServer(options);
}
