// The checks the stores' options share (memoryStore, redisStore): a bad value throws
// ServerError ERR_INVALID_OPTION naming the store, the option and the value.
import { ServerError } from './errors';

/** `value`, or `fallback` when it is undefined; throws unless it is a positive integer. */
export function positiveInteger(
  store: string,
  name: string,
  value: unknown,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ServerError(
      'ERR_INVALID_OPTION',
      `${store}: ${name} must be a positive integer, got ${String(value)}`,
    );
  }
  return value;
}
