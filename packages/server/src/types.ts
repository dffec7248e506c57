// Public types shared by the server's parts.
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { Envelope } from './envelope';

/** One client connection, as handlers and listeners see it. */
export interface Context {
  /** Random id of this connection (not the request id). */
  readonly id: string;
  /** The `ws` socket. Prefer `send`/`close` below; they are safe on a closed socket. */
  readonly socket: WebSocket;
  /** The HTTP upgrade request (headers, URL, cookies). */
  readonly request: IncomingMessage;
  /** Sends an event `{ type, data }` to this client; does nothing once it is closed. */
  send(type: string, data?: unknown): void;
  /** Closes this connection (default 1000). */
  close(code?: number, reason?: string): void;
}

/** What `authorize` is asked about: a connection (`stream` undefined) or a subscription. */
export interface AuthorizeContext {
  request: IncomingMessage;
  /** The stream a client subscribes to; undefined when asked about the connection. */
  stream?: string;
  /** The subscribe request's app data (`data.data` on the wire). */
  data?: unknown;
}

/** Decides whether a connection or a subscription may go ahead. */
export type Authorize = (context: AuthorizeContext) => boolean | Promise<boolean>;

/** Answers a request; the resolved value is the reply's `data`, a thrown error an error reply. */
export type RequestHandler = (data: unknown, context: Context) => unknown;

/** How a connection ended. */
export interface DisconnectInfo {
  code: number;
  reason: string;
}

/** Events of a LifelineServer and their listener arguments. */
export interface ServerEvents {
  /** An event envelope (no `id`) of a type that is not part of the protocol. */
  message: [envelope: Envelope, context: Context];
  /** A frame that is not an envelope (binary, not JSON, no `type`); counted in stats. */
  malformed: [raw: string | Buffer, context: Context];
  /** A connection passed the origin check and `authorize`. */
  connection: [context: Context];
  /** A connection that was announced with `connection` closed. */
  disconnect: [context: Context, info: DisconnectInfo];
  /** A listener, handler, `authorize` or the store failed; the server carries on. */
  error: [error: unknown];
}

/** Counters since the server started. */
export interface ServerStats {
  /** Connections accepted (after origin and authorize checks). */
  connections: number;
  /** Frames that were not envelopes (or protocol frames with bad fields), ignored. */
  malformed: number;
  /** Frames over `maxPayload`; their connections were closed with 1009. */
  oversize: number;
  /** Requests answered without running the handler (same id seen again). */
  deduped: number;
  /** Handshakes refused: bad origin (403) or `authorize` false (1008). */
  refused: number;
  /** Clients terminated for missing a ws-level ping. */
  timedOut: number;
  /** Failures of user code or the store (reported as `error` when someone listens). */
  errors: number;
}
