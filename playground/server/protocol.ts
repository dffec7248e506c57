// The playground's own replies (DESIGN §7): `echo` and `sum`, and the error codes it answers
// with. Pure: no sockets, no timers. Envelopes, ping/pong, dedupe and streams are
// @lifeline/server's job.

/** Error codes the dev server puts in error replies and `error` events. */
export type PlaygroundErrorCode = 'ERR_BAD_REQUEST' | 'ERR_BAD_FAULT' | 'ERR_BUSY';

/**
 * Thrown by the playground's handlers. @lifeline/server turns a thrown error with a `code`
 * into an error reply `{ message, code }`.
 */
export class PlaygroundError extends Error {
  override readonly name = 'PlaygroundError';
  constructor(
    readonly code: PlaygroundErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const MAX_TERMS = 10_000;

/** `a + b` for `{ a, b }`, or the sum of an array of numbers; throws `ERR_BAD_REQUEST`. */
export function sum(data: unknown): number {
  const terms = Array.isArray(data) ? data : isObject(data) ? [data.a, data.b] : undefined;
  if (!terms || terms.length > MAX_TERMS) {
    throw new PlaygroundError(
      'ERR_BAD_REQUEST',
      `sum takes { a, b } or an array of at most ${MAX_TERMS} numbers`,
    );
  }
  let total = 0;
  for (const term of terms) {
    if (typeof term !== 'number' || !Number.isFinite(term)) {
      throw new PlaygroundError(
        'ERR_BAD_REQUEST',
        `sum needs finite numbers, got ${JSON.stringify(term)}`,
      );
    }
    total += term;
  }
  return total;
}

/** The event that answers an `echo` or `sum` event (no id), or `undefined` for other types. */
export function answerEvent(
  type: string,
  data: unknown,
): { type: string; data: unknown } | undefined {
  try {
    if (type === 'echo') return { type, data };
    if (type === 'sum') return { type, data: sum(data) };
    return undefined;
  } catch (error) {
    const { message, code } = error as PlaygroundError;
    return { type: 'error', data: { message, code, type } };
  }
}
