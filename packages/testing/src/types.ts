// The shapes the fake server speaks and hands to tests. Maps use the same conventions as
// `@lifeline/core`'s `Socket<In, Out, Req, Streams>`, seen from the client, so one set of types
// serves both sides of a test.
import type { Envelope, StreamPosition } from '@lifeline/core';
import type { ReceivedFrame, TestConnection } from './connection';

/** A frame's data as a WebSocket carries it. */
export type FrameData = string | ArrayBufferLike | Blob | ArrayBufferView;

/** A decoded JSON envelope (DESIGN §3 and §8), as `@lifeline/core` defines it. */
export type { Envelope };

/** A stream position: `seq` is a decimal string (compare by length, then text). */
export type Position = StreamPosition;

/** `{ code, reason, wasClean }` of a close, and which side started it. */
export interface CloseRecord {
  code: number;
  reason: string;
  wasClean: boolean;
  by: 'client' | 'server';
}

/** Maps message `type` → `data`. */
// biome-ignore lint/suspicious/noExplicitAny: an untyped map must accept any data
export type MessageMap = Record<string, any>;
/** Maps request `type` → `{ data, reply }`, as `@lifeline/core`'s request maps do. */
// biome-ignore lint/suspicious/noExplicitAny: see MessageMap
export type RequestMap = Record<string, any>;
/** Maps a stream name (or a pattern like `` `room:${string}` ``) → the message map it carries. */
// biome-ignore lint/suspicious/noExplicitAny: see MessageMap
export type StreamMap = Record<string, any>;

/** The request data of request map entry `E`. */
export type RequestDataOf<E> = E extends { data?: infer D } ? D : undefined;
/** The reply data of request map entry `E`. */
export type ReplyOf<E> = E extends { reply: infer R } ? R : unknown;

/** Options of {@link createTestServer}. */
export interface TestServerOptions {
  /**
   * When set, only sockets opened for this URL connect; any other URL fails like an
   * unreachable host (error, then close 1006). Default: every URL connects.
   */
  url?: string | URL;
  /** Messages kept per stream for replays, like the server's log window [1000]. */
  retain?: number;
  /** Answer `{"type":"ping"}` with `{"type":"pong"}` [true]. */
  pong?: boolean;
  /**
   * Answer requests no `reply` handles with an `UNKNOWN_TYPE` error reply, as the reference
   * server does [true]. `false` leaves them unanswered (the client's request times out).
   */
  answerUnknown?: boolean;
  /**
   * Where an error thrown by a listener goes (the client's `onmessage`, a server `on(…)`
   * listener). Default: an unhandled rejection, which fails the test that caused it; the
   * other listeners run either way.
   */
  onListenerError?: (error: unknown) => void;
}

/** Options of `restart(ms, options)`. */
export interface RestartOptions {
  /** The close code the open connections get [1012, service restart]; 1006 drops them. */
  code?: number;
  /** Forget every stream's log, so the next epochs differ (a server without a durable log). */
  resetStreams?: boolean;
}

/** Events of a {@link TestServer}, for `server.on(name, listener)`. */
export interface TestServerEvents {
  connection: (connection: TestConnection) => void;
  message: (frame: ReceivedFrame) => void;
  close: (connection: TestConnection) => void;
}

/** Which frames `nextMessage` takes: a `type`, or a test of the envelope. */
export type MessageFilter = string | ((envelope: Envelope, frame: ReceivedFrame) => boolean);

type Loose<E> = 0 extends 1 & E ? true : false;
/** The data a client sends with `type`: an event's (from `Out`) or a request's (from `Req`). */
export type SentData<Out, Req, K> = K extends keyof Out
  ? Out[K]
  : K extends keyof Req
    ? Loose<Req[K]> extends true
      ? // biome-ignore lint/suspicious/noExplicitAny: untyped maps stay untyped
        any
      : RequestDataOf<Req[K]>
    : unknown;
