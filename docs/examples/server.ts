// A reference server side of the Lifeline envelope protocol for Node's `ws`: it answers
// requests (remembering replies by id, because requests are at-least-once) and heartbeat
// pings. Run it with `npx tsx docs/examples/server.ts`; tested in server.int.test.ts.
import type { IncomingMessage } from 'node:http';
import { pathToFileURL } from 'node:url';
import { type WebSocket, WebSocketServer } from 'ws';

/** What a handler gets besides the request's `data`. */
export interface HandlerContext {
  /** The connection the message came in on. */
  socket: WebSocket;
  /** The HTTP upgrade request of that connection (headers, URL, cookies). */
  request: IncomingMessage;
}

/**
 * Handles one message type. For a request, the resolved value becomes the reply's `data`;
 * a thrown error becomes an error reply. For an event (no `id`), the result is ignored.
 */
export type Handler = (data: unknown, context: HandlerContext) => unknown;

/** Throw this from a handler to send an error reply with a machine-readable `code`. */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface ProtocolOptions {
  /**
   * How long a reply is remembered for duplicate request ids, ms. Keep it above the clients'
   * `requestTimeout` (Lifeline's default: 10 s) plus the longest reconnect you expect.
   */
  dedupeMs?: number;
  /** How many replies are remembered at most; the oldest are forgotten first. */
  dedupeMax?: number;
  /**
   * Who is asking, e.g. the authenticated user id. Request ids are only unique per client,
   * so ids are remembered per key; the default trusts ids to be globally unique.
   */
  clientKey?: (request: IncomingMessage) => string;
}

interface Envelope {
  type: string;
  id?: string;
  data?: unknown;
}

/** Parses a text frame; anything that is not `{ "type": string, ... }` is `undefined`. */
export function parseEnvelope(text: string): Envelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { type, id, data } = value as Record<string, unknown>;
  if (typeof type !== 'string' || type === '') return undefined;
  if (id !== undefined && typeof id !== 'string') return undefined;
  return { type, id, data };
}

/**
 * Speaks the Lifeline envelope protocol on every connection of `wss`. Returns a function
 * that detaches it again.
 *
 * @example
 * ```ts
 * const wss = new WebSocketServer({ port: 8080 });
 * attachLifelineProtocol(wss, { echo: (data) => data });
 * ```
 */
export function attachLifelineProtocol(
  wss: WebSocketServer,
  handlers: Record<string, Handler>,
  options: ProtocolOptions = {},
): () => void {
  const { dedupeMs = 60_000, dedupeMax = 10_000, clientKey = () => '' } = options;
  // key → encoded reply. A Map iterates in insertion order and every entry lives equally
  // long, so the oldest entries are always at the front.
  const replies = new Map<string, { reply: Promise<string>; expires: number }>();

  const forgetExpired = () => {
    const now = Date.now();
    for (const [key, entry] of replies) {
      if (entry.expires > now && replies.size < dedupeMax) break;
      replies.delete(key);
    }
  };

  const answer = async (envelope: Envelope & { id: string }, context: HandlerContext) => {
    const { type, id, data } = envelope;
    const handler = Object.hasOwn(handlers, type) ? handlers[type] : undefined;
    try {
      if (!handler) throw new ProtocolError(`Unknown request type "${type}"`, 'UNKNOWN_TYPE');
      return JSON.stringify({ type, re: id, data: await handler(data, context) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = error instanceof ProtocolError ? error.code : undefined;
      return JSON.stringify({ type, re: id, error: { message, ...(code ? { code } : {}) } });
    }
  };

  const onConnection = (socket: WebSocket, request: IncomingMessage) => {
    const context: HandlerContext = { socket, request };
    socket.on('message', async (raw, isBinary) => {
      if (isBinary) return; // envelopes are text frames; binary is yours to define
      const envelope = parseEnvelope(raw.toString());
      if (!envelope) return; // not an envelope: clients may send plain text too

      // Heartbeat: any frame proves the connection alive; a pong also gives the latency.
      if (envelope.type === 'ping' && envelope.id === undefined) {
        socket.send('{"type":"pong"}');
        return;
      }

      const { id } = envelope;
      if (id === undefined) {
        // An event: run the handler, nobody waits for an answer.
        const handler = Object.hasOwn(handlers, envelope.type) ? handlers[envelope.type] : null;
        Promise.resolve()
          .then(() => handler?.(envelope.data, context))
          .catch((error) => console.error(`event "${envelope.type}" failed:`, error));
        return;
      }

      // A request. A client resends an unanswered request with the same id after a reconnect,
      // so the same id may arrive twice (the first reply was lost, or the first run is still
      // going): reuse the first run's reply instead of running the handler again.
      forgetExpired();
      const key = `${clientKey(request)}\u0000${id}`;
      let entry = replies.get(key);
      if (!entry) {
        entry = { reply: answer({ ...envelope, id }, context), expires: Date.now() + dedupeMs };
        replies.set(key, entry);
      }
      const reply = await entry.reply;
      if (socket.readyState === socket.OPEN) socket.send(reply);
    });
  };

  wss.on('connection', onConnection);
  return () => {
    wss.off('connection', onConnection);
    replies.clear();
  };
}

// `npx tsx docs/examples/server.ts [port]` starts a demo server on 127.0.0.1.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.argv[2] ?? 8080);
  const wss = new WebSocketServer({ host: '127.0.0.1', port, maxPayload: 64 * 1024 });
  attachLifelineProtocol(wss, {
    echo: (data) => data,
    sum: (data) => {
      const { a, b } = data as { a: unknown; b: unknown };
      if (typeof a !== 'number' || typeof b !== 'number')
        throw new ProtocolError('a and b must be numbers', 'BAD_INPUT');
      return a + b;
    },
  });
  wss.on('listening', () => console.log(`Lifeline demo server on ws://127.0.0.1:${port}`));
}
