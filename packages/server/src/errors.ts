// Errors the server throws at its caller (bad options, publishing after close). Errors meant
// for clients travel as error replies instead; see ReplyError.

/** Stable codes of {@link ServerError}. */
export type ServerErrorCode =
  | 'ERR_INVALID_OPTION'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_CLOSED'
  /** A shared store (Redis) cannot be reached; the call may succeed once it is back. */
  | 'ERR_STORE_UNAVAILABLE';

/** Thrown by the server API; `code` is stable, `message` says what to fix. */
export class ServerError extends Error {
  override readonly name = 'ServerError';
  constructor(
    readonly code: ServerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Throw this from a request handler to send an error reply with a machine-readable `code`
 * (any error with a string `code` does the same; without one the code is `INTERNAL`).
 *
 * @example
 * server.handle('buy', () => { throw new ReplyError('Sold out', 'OUT_OF_STOCK'); });
 */
export class ReplyError extends Error {
  override readonly name = 'ReplyError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
