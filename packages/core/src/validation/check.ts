// Runs one Standard Schema and turns whatever it does into a verdict: a value, or issues. A
// schema that throws, rejects or returns something that is not a Standard Schema result is
// invalid, never an exception for the socket. A synchronous schema gives a synchronous
// verdict (no Promise, no microtask): only an asynchronous one pays for being asynchronous.
import { DEV } from '../dev';
import { fail, type LifelineError } from '../errors';
import type { StandardSchemaV1 } from './standard-schema';

/** What a schema found wrong, as its library reports it. */
export type Issues = ReadonlyArray<StandardSchemaV1.Issue>;

/** A schema's verdict: the (possibly transformed) output value, or the issues. */
export type Checked = { value: unknown; issues?: undefined } | { issues: Issues };

/** A `LifelineError` `ERR_INVALID_MESSAGE` that carries the schema's issues. */
export type InvalidMessageError = LifelineError & { readonly issues: Issues };

/** Validates `value`: the verdict, or a Promise of it when the schema is asynchronous. */
export function check(schema: StandardSchemaV1, value: unknown): Checked | Promise<Checked> {
  let result: unknown;
  try {
    result = schema['~standard'].validate(value);
  } catch (error) {
    return thrown(error);
  }
  if (typeof (result as PromiseLike<unknown> | null)?.then === 'function')
    return Promise.resolve(result).then(verdict, thrown);
  return verdict(result);
}

/** Whether a verdict is still to come. */
export const pending = (checked: Checked | Promise<Checked>): checked is Promise<Checked> =>
  checked instanceof Promise;

/** `ERR_INVALID_MESSAGE` with the issues; `what` names the message (development build only). */
export function invalidError(what: string, issues: Issues): InvalidMessageError {
  const first = issues[0];
  const error = fail(
    'ERR_INVALID_MESSAGE',
    DEV
      ? `${what} failed its schema: ${first?.message ?? 'invalid'}${
          first?.path?.length
            ? ` at ${first.path.map((p) => String(typeof p === 'object' ? p.key : p)).join('.')}`
            : ''
        }.`
      : '',
  ) as LifelineError & { issues: Issues };
  error.issues = issues;
  return error;
}

// Per the specification, a result with `issues` is a failure; anything else without them is
// not a result at all.
function verdict(result: unknown): Checked {
  const issues = (result as { issues?: unknown } | null)?.issues;
  if (result !== null && typeof result === 'object' && issues === undefined)
    return result as Checked;
  if (Array.isArray(issues)) return { issues };
  return { issues: [{ message: 'The schema returned no Standard Schema result' }] };
}

function thrown(error: unknown): Checked {
  let message: string;
  try {
    message = error instanceof Error ? error.message : String(error);
  } catch {
    message = 'unknown error';
  }
  return { issues: [{ message: `The schema threw: ${message}` }] };
}
