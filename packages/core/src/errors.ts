/** Every stable error code a {@link LifelineError} can carry. */
export type LifelineErrorCode =
  | 'ERR_INVALID_URL'
  | 'ERR_INVALID_OPTION'
  | 'ERR_INVALID_CLOSE_CODE'
  | 'ERR_NOT_OPEN'
  | 'ERR_QUEUE_FULL'
  | 'ERR_TIMEOUT'
  | 'ERR_ABORTED'
  | 'ERR_CLOSED'
  | 'ERR_REMOTE'
  | 'ERR_NO_WEBSOCKET'
  | 'ERR_INVALID_MESSAGE';

/** What a server sent in an error reply (`{"re":…,"error":{…}}`). */
export interface RemoteError {
  message: string;
  code?: string;
}

/**
 * The error Lifeline throws, rejects with or emits. Switch on `code`, never on `message`:
 * codes are stable, messages are for humans.
 *
 * @example
 * ```ts
 * try {
 *   await socket.request('sum', { a: 1, b: 2 });
 * } catch (error) {
 *   if (error instanceof LifelineError && error.code === 'ERR_TIMEOUT') retryLater();
 * }
 * ```
 */
export class LifelineError extends Error {
  /** Stable machine-readable code. */
  readonly code: LifelineErrorCode;
  /** For `ERR_REMOTE`: the server's `message` and `code`. */
  readonly remote?: RemoteError;

  constructor(code: LifelineErrorCode, message: string, remote?: RemoteError, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'LifelineError';
    this.code = code;
    if (remote) this.remote = remote;
  }
}

/** Shorthand used across the core to keep call sites on one line. */
export const fail = (code: LifelineErrorCode, message: string): LifelineError =>
  new LifelineError(code, message);
