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
  | 'ERR_INVALID_MESSAGE'
  | 'ERR_STORAGE';

/** What a server sent in an error reply (`{"re":…,"error":{…}}`). */
export interface RemoteError {
  message: string;
  code?: string;
}

// Production builds drop the message text; the code and this page say what went wrong.
const DOCS = 'https://github.com/lifeline-ws/lifeline/blob/main/docs/reference/errors.md#';

/**
 * The error Lifeline throws, rejects with or emits. Switch on `code`, never on `message`:
 * codes are stable, messages are for humans. The production build's messages are the code
 * and a link to its entry in the errors reference; the development build (the `development`
 * export condition, `lifeline.iife.js`) carries the full text.
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
    // A server's own message is data: kept as sent, even when empty.
    super(
      message || remote ? message : `${code}: ${DOCS}${code.toLowerCase().replace(/_/g, '-')}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = 'LifelineError';
    this.code = code;
    if (remote) this.remote = remote;
  }
}

/**
 * Shorthand used across the core to keep call sites on one line. Pass the message as
 * `DEV ? 'full text' : ''` so production builds drop the text (see `dev.ts`).
 */
export const fail = (code: LifelineErrorCode, message: string): LifelineError =>
  new LifelineError(code, message);
