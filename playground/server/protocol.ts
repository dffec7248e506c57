// The dev server's side of the JSON envelopes (DESIGN §3): parsing incoming text and the
// replies to `echo`, `sum` and `ping`. Pure: no sockets, no timers.

// The server decodes with core's own codec: the same envelope rules as the client, and the
// same protection against `__proto__`/`constructor` keys in what clients send.
import { decodeEnvelope, type Envelope } from '../../packages/core/src/envelope';

export type { Envelope };

/** Error codes the dev server puts in error replies. */
export type ServerErrorCode = 'ERR_UNKNOWN_TYPE' | 'ERR_BAD_REQUEST' | 'ERR_BAD_FAULT' | 'ERR_BUSY';

/** Thrown by handlers; becomes an error reply (or an `error` event for envelopes without id). */
export class ServerError extends Error {
  constructor(
    readonly code: ServerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The envelope in `text`, or `undefined` when it is not JSON or not an envelope. */
export const parseEnvelope = (text: string): Envelope | undefined => decodeEnvelope(text);

const MAX_TERMS = 10_000;

/** `a + b` for `{ a, b }`, or the sum of an array of numbers. */
export function sum(data: unknown): number {
  const terms = Array.isArray(data) ? data : isObject(data) ? [data.a, data.b] : undefined;
  if (!terms || terms.length > MAX_TERMS) {
    throw new ServerError(
      'ERR_BAD_REQUEST',
      `sum takes { a, b } or an array of at most ${MAX_TERMS} numbers`,
    );
  }
  let total = 0;
  for (const term of terms) {
    if (typeof term !== 'number' || !Number.isFinite(term)) {
      throw new ServerError(
        'ERR_BAD_REQUEST',
        `sum needs finite numbers, got ${JSON.stringify(term)}`,
      );
    }
    total += term;
  }
  return total;
}

/**
 * The reply to an application envelope, or `undefined` when none is due (an unknown event).
 * Requests (with `id`) get `re`; an unknown request type gets an error reply.
 */
export function respond(envelope: Envelope): Envelope | undefined {
  const reply = (type: string, data: unknown): Envelope =>
    envelope.id === undefined ? { type, data } : { type, re: envelope.id, data };
  try {
    switch (envelope.type) {
      case 'echo':
        return reply('echo', envelope.data);
      case 'sum':
        return reply('sum', sum(envelope.data));
      case 'ping':
        return envelope.id === undefined ? { type: 'pong' } : reply('ping', 'pong');
      default:
        if (envelope.id === undefined) return undefined;
        throw new ServerError('ERR_UNKNOWN_TYPE', `unknown request type "${envelope.type}"`);
    }
  } catch (error) {
    return errorReply(envelope, error);
  }
}

/** An error reply to `envelope` (or an `error` event when it had no id). */
export function errorReply(envelope: Envelope, error: unknown): Envelope {
  const details =
    error instanceof ServerError
      ? { message: error.message, code: error.code }
      : { message: String(error), code: 'ERR_BAD_REQUEST' };
  return envelope.id === undefined
    ? { type: 'error', data: { ...details, type: envelope.type } }
    : { type: envelope.type, re: envelope.id, error: details };
}
