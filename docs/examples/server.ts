// A reference server side of the Lifeline envelope protocol for Node's `ws`: it answers
// requests (remembering replies by id, because requests are at-least-once), heartbeat pings,
// and stream subscriptions with resume from an in-memory log. Run it with
// `npx tsx docs/examples/server.ts`; tested in server.int.test.ts, which also runs the
// conformance kit (@lifeline/conformance) against it.
import { randomUUID } from 'node:crypto';
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
  /** The streams clients can subscribe to; publish on it. Default: a new `StreamLog()`. */
  streams?: StreamLog;
}

/** One stream message, as it goes on the wire. */
export interface StreamMessage {
  type: string;
  stream: string;
  epoch: string;
  seq: string;
  data?: unknown;
}

/** A place in a stream, as clients send it in `since`. */
export interface Position {
  epoch: string;
  seq: string;
}

/**
 * Each stream's recent messages in memory, numbered "1", "2", … within a random `epoch`: after
 * a restart the epoch is new, so clients resync instead of trusting old numbers. Seqs are
 * decimal strings; BigInt keeps them exact past 2^53.
 */
export class StreamLog {
  private readonly logs = new Map<string, { epoch: string; head: bigint; kept: StreamMessage[] }>();
  private readonly listeners = new Set<(message: StreamMessage) => void>();

  /** `keep(stream)`: how many messages of a stream a resume can still replay. */
  constructor(private readonly keep: (stream: string) => number = () => 1000) {}

  /** Appends a message and sends it to every subscriber of `stream`. */
  publish(stream: string, type: string, data?: unknown): Position {
    const log = this.logOf(stream);
    log.head++;
    const message = { type, stream, epoch: log.epoch, seq: String(log.head), data };
    log.kept.push(message);
    if (log.kept.length > this.keep(stream)) log.kept.shift();
    for (const listener of [...this.listeners]) listener(message);
    return { epoch: message.epoch, seq: message.seq };
  }

  /** The head, and every message after `since`, or `recovered: false` when some are gone. */
  read(stream: string, since?: Position) {
    const { epoch, head, kept } = this.logOf(stream);
    const seq = String(head);
    if (!since) return { epoch, seq, recovered: true, messages: [] };
    const after = BigInt(since.seq);
    const oldest = kept[0] ? BigInt(kept[0].seq) : head + 1n;
    const recovered = since.epoch === epoch && after <= head && after + 1n >= oldest;
    const messages = recovered ? kept.filter((message) => BigInt(message.seq) > after) : [];
    return { epoch, seq, recovered, messages };
  }

  /** Calls `listener` for every message published from now on; returns a stop function. */
  listen(listener: (message: StreamMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private logOf(stream: string) {
    let log = this.logs.get(stream);
    if (!log) {
      log = { epoch: randomUUID(), head: 0n, kept: [] };
      this.logs.set(stream, log);
    }
    return log;
  }
}

/** `data.since` of a subscribe, when it is a valid position. */
const isPosition = (value: unknown): value is Position =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Position).epoch === 'string' &&
  /^(0|[1-9][0-9]*)$/.test(String((value as Position).seq));

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
  const streams = options.streams ?? new StreamLog();
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
    const send = (envelope: object) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(envelope));
    };
    // stream → stop listening. A new subscribe to the same stream replaces the old one (that
    // is how a client heals a gap); closing the connection ends them all.
    const subscriptions = new Map<string, () => void>();
    const unsubscribe = (stream: string) => {
      subscriptions.get(stream)?.();
      subscriptions.delete(stream);
    };
    socket.on('close', () => {
      for (const stop of subscriptions.values()) stop();
    });
    // A frame over `maxPayload` makes ws close the connection with 1009 and emit `error`;
    // without a listener that error would take the whole process down.
    socket.on('error', () => {});

    const subscribe = (id: string, data: unknown) => {
      const { stream, since = undefined } = (data ?? {}) as { stream?: unknown; since?: unknown };
      if (typeof stream !== 'string' || stream === '' || !(since == null || isPosition(since))) {
        const message = 'data must be { stream, since?: { epoch, seq } }';
        return send({ type: 'subscribe', re: id, error: { message, code: 'INVALID_STREAM' } });
      }
      unsubscribe(stream);
      // Reply, replay and listen in one synchronous step: nothing published in between is
      // lost or sent twice.
      const { messages, ...head } = streams.read(stream, since ?? undefined);
      send({ type: 'subscribe', re: id, data: head });
      for (const message of messages) send(message);
      subscriptions.set(
        stream,
        streams.listen((message) => message.stream === stream && send(message)),
      );
    };

    socket.on('message', async (raw, isBinary) => {
      if (isBinary) return; // envelopes are text frames; binary is yours to define
      const envelope = parseEnvelope(raw.toString());
      if (!envelope) return; // not an envelope: clients may send plain text too

      // Heartbeat: any frame proves the connection alive; a pong also gives the latency.
      if (envelope.type === 'ping') {
        send({ type: 'pong', data: envelope.data });
        return;
      }

      // The other reserved types: stream subscriptions, and pongs (nothing to answer).
      const { id } = envelope;
      if (envelope.type === 'subscribe' && id !== undefined) return subscribe(id, envelope.data);
      if (envelope.type === 'unsubscribe') {
        const { stream } = (envelope.data ?? {}) as { stream?: unknown };
        return typeof stream === 'string' ? unsubscribe(stream) : undefined;
      }
      if (envelope.type === 'pong') return;

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
  const streams = new StreamLog();
  attachLifelineProtocol(
    wss,
    {
      echo: (data) => data,
      sum: (data) => {
        const { a, b } = data as { a: unknown; b: unknown };
        if (typeof a !== 'number' || typeof b !== 'number')
          throw new ProtocolError('a and b must be numbers', 'BAD_INPUT');
        return a + b;
      },
    },
    { streams },
  );
  // A stream to subscribe to: `socket.subscribe('clock', (data) => …)`.
  const clock = setInterval(() => streams.publish('clock', 'tick', { now: Date.now() }), 1000);
  wss.on('close', () => clearInterval(clock));
  wss.on('listening', () => console.log(`Lifeline demo server on ws://127.0.0.1:${port}`));
}
