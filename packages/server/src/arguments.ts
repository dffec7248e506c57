// Checks of the arguments of `handle` and `publish`: programming errors of the server's user,
// thrown at once as ServerError ERR_INVALID_ARGUMENT.
import { ServerError } from './errors';

/** Types the protocol itself uses; handlers and published messages cannot take them. */
export const RESERVED_TYPES: ReadonlySet<string> = new Set([
  'ping',
  'pong',
  'subscribe',
  'unsubscribe',
]);

/** Longest stream name accepted, from clients and from `publish`. */
export const MAX_STREAM_LENGTH = 1024;

const invalid = (message: string): never => {
  throw new ServerError('ERR_INVALID_ARGUMENT', message);
};

/** Throws unless `type` can name an application message. */
export function checkType(caller: string, type: unknown): void {
  if (typeof type !== 'string' || type === '')
    invalid(`${caller}: type must be a non-empty string`);
  if (RESERVED_TYPES.has(type as string)) {
    invalid(`${caller}: "${type}" is reserved by the protocol`);
  }
}

/** True when `stream` is a usable stream name. */
export function isStreamName(stream: unknown): stream is string {
  return typeof stream === 'string' && stream !== '' && stream.length <= MAX_STREAM_LENGTH;
}

/** Throws unless `publish(stream, type, data)` can go ahead. */
export function checkPublish(stream: unknown, type: unknown, data: unknown): void {
  if (!isStreamName(stream)) {
    invalid(
      `publish: stream must be a non-empty string of at most ${MAX_STREAM_LENGTH} characters`,
    );
  }
  checkType('publish', type);
  try {
    JSON.stringify(data);
  } catch (error) {
    invalid(`publish: data must be JSON-encodable (${(error as Error).message})`);
  }
}
