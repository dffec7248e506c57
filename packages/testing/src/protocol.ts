// What the fake server answers on its own (DESIGN §3, §8, §9): ping → pong, requests through
// the handlers a test registered (deduplicated by id, like the reference server), and
// subscribe/unsubscribe from each stream's log with replay or `recovered: false`.
import type { TestConnection } from './connection';
import { describeError } from './envelope';
import { readSince, type StreamLogs } from './streams';
import type { Envelope } from './types';

/** What a `reply` handler gets besides the request's data. */
export interface RequestContext {
  connection: TestConnection;
  /** The request's id (the same on a resend after a reconnect). */
  id: string;
  envelope: Envelope;
}

/** Answers one request type: return (or resolve) the reply's data; throw for an error reply. */
// biome-ignore lint/suspicious/noExplicitAny: the untyped default accepts any request data
export type ReplyHandler<D = any, R = unknown> = (
  data: D,
  context: RequestContext,
) => R | Promise<R>;

/** Decides a subscribe: `false` refuses it (`FORBIDDEN`); a throw refuses with its code. */
export type Authorize = (
  stream: string,
  data: unknown,
  connection: TestConnection,
) => boolean | undefined | Promise<boolean | undefined>;

interface ProtocolOptions {
  pong: boolean;
  answerUnknown: boolean;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

const errorReply = (type: string, re: string, error: unknown, fallback?: string): Envelope => {
  const described = describeError(error);
  const code = fallback && described.code === 'INTERNAL' ? fallback : described.code;
  return { type, re, error: { message: described.message, code } };
};

export class Protocol {
  readonly handlers = new Map<string, ReplyHandler>();
  authorize: Authorize | undefined;
  /** Replies by request id: a resent request gets the first answer, never a second run. */
  private readonly _answers = new Map<string, Envelope | Promise<Envelope>>();
  /** Handlers and authorizations still running (`flush()` waits for them). */
  pending = 0;

  constructor(
    private readonly _logs: StreamLogs,
    private readonly _options: ProtocolOptions,
  ) {}

  handle(connection: TestConnection, envelope: Envelope): void {
    const { type, id } = envelope;
    if (type === 'ping') {
      if (this._options.pong) connection.send('pong');
    } else if (type === 'unsubscribe') {
      const stream = (envelope.data as { stream?: unknown } | undefined)?.stream;
      if (typeof stream === 'string') connection.subscriptions.delete(stream);
    } else if (typeof id === 'string' && id !== '' && envelope.re === undefined) {
      if (type === 'subscribe') this._subscribe(connection, envelope, id);
      else if (type !== 'pong') this._request(connection, envelope, id);
    }
  }

  /** Forgets remembered replies (`stop()`). */
  clear(): void {
    this._answers.clear();
  }

  private _request(connection: TestConnection, envelope: Envelope, id: string): void {
    let answer = this._answers.get(id);
    if (!answer) {
      answer = this._run(envelope, id, connection);
      if (answer === undefined) return; // unknown type, left unanswered on purpose
      this._answers.set(id, answer);
    }
    this._send(connection, answer);
  }

  private _run(envelope: Envelope, id: string, connection: TestConnection) {
    const { type } = envelope;
    const handler = this.handlers.get(type);
    if (!handler) {
      if (!this._options.answerUnknown) return undefined;
      const message = `No reply handler for request type "${type}"`;
      return { type, re: id, error: { message, code: 'UNKNOWN_TYPE' } };
    }
    const reply = (data: unknown): Envelope =>
      data === undefined ? { type, re: id } : { type, re: id, data };
    try {
      const result = handler(envelope.data, { connection, id, envelope });
      if (!isThenable(result)) return reply(result);
      return Promise.resolve(result).then(reply, (error) => errorReply(type, id, error));
    } catch (error) {
      return errorReply(type, id, error);
    }
  }

  /** Sends an answer now, or when it resolves (lost if the connection closed meanwhile). */
  private _send(connection: TestConnection, answer: Envelope | Promise<Envelope>): void {
    if (!isThenable(answer)) {
      connection.sendEnvelope(answer);
      return;
    }
    this.pending++;
    void answer.then((envelope) => {
      this.pending--;
      connection.sendEnvelope(envelope);
    });
  }

  private _subscribe(connection: TestConnection, envelope: Envelope, id: string): void {
    const data = envelope.data as { stream?: unknown; since?: unknown; data?: unknown } | undefined;
    const stream = data?.stream;
    if (typeof stream !== 'string' || stream === '') {
      const message = 'A subscribe needs a non-empty string `stream`';
      connection.sendEnvelope({
        type: 'subscribe',
        re: id,
        error: { message, code: 'INVALID_STREAM' },
      });
      return;
    }
    const refuse = (error: unknown): void => {
      connection.sendEnvelope(errorReply('subscribe', id, error, 'FORBIDDEN'));
    };
    const decide = (allowed: boolean | undefined) => {
      if (connection.state !== 'open') return;
      if (allowed === false) return refuse(new Error(`Not allowed to subscribe to "${stream}"`));
      // Read the log and go live in one step, so nothing published in between is missed.
      const { reply, replay } = this._logs.resolve(stream, readSince(data?.since));
      connection.subscriptions.add(stream);
      connection.sendEnvelope({ type: 'subscribe', re: id, data: reply });
      for (const message of replay) connection.sendEnvelope(message);
    };
    let verdict: ReturnType<Authorize>;
    try {
      verdict = this.authorize?.(stream, data?.data, connection);
    } catch (error) {
      return refuse(error);
    }
    if (!isThenable(verdict)) return decide(verdict);
    this.pending++;
    void Promise.resolve(verdict)
      .then(decide, refuse)
      .finally(() => this.pending--);
  }
}
