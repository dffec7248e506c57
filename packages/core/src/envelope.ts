// The JSON envelope wire format (DESIGN §3): one JSON object per text frame.
//   event   {"type":"chat","data":{…}}
//   request {"type":"sum","id":"<unique>","data":{…}}
//   reply   {"type":"sum","re":"<id>","data":…} or {"type":"sum","re":"<id>","error":{…}}
//   stream  {"type":"chat","stream":"room:42","epoch":"e1","seq":"18","data":{…}} (DESIGN §8)
import { DEV } from './dev';
import { LifelineError } from './errors';

/** One decoded (or to-be-encoded) message. */
export interface Envelope<T extends string = string, D = unknown> {
  type: T;
  data?: D;
  /** Present on requests: the id the reply will echo in `re`. */
  id?: string;
  /** Present on replies: the id of the request answered. */
  re?: string;
  /** Present on error replies. */
  error?: { message: string; code?: string };
  /** Present on stream messages: the stream's name. */
  stream?: string;
  /** On stream messages: the epoch, as received (a subscription checks it). */
  epoch?: string;
  /** On stream messages: the position in the epoch, as received (a subscription checks it). */
  seq?: string;
}

// Keys that could reach a prototype if a consumer merges decoded data into its own objects.
// A frame mentioning one, or using any \u escape (which can spell one: "\u005f_proto__"),
// is scrubbed after parsing; every other frame skips that walk.
const SUSPECT = /__proto__|constructor|prototype|\\u/;
const HOSTILE = ['__proto__', 'constructor', 'prototype'];
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Deletes hostile keys at every depth. `JSON.parse` made them plain own properties (it never
 * sets a prototype), so deleting them is enough. Iterative: a reviver, or a recursive walk,
 * overflows the stack on deeply nested JSON that `JSON.parse` itself handles. The `hasOwn`
 * test is not redundant: a `delete` of a key the object lacks is much slower (measured).
 */
function scrub(root: unknown): void {
  const stack = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object') stack.push(item);
      continue;
    }
    const record = value as Record<string, unknown>;
    for (const key of HOSTILE) if (hasOwn.call(record, key)) delete record[key];
    for (const key in record) if (typeof record[key] === 'object') stack.push(record[key]);
  }
}

/**
 * Whether `type` is one the protocol reserves (`ping`, `pong`, `subscribe`, `unsubscribe`):
 * such frames are Lifeline's own and never reach `onMessage` handlers or the adapters.
 *
 * @example
 * ```ts
 * isProtocolType('pong'); // true
 * isProtocolType('chat'); // false
 * ```
 */
export const isProtocolType = (type: string): boolean =>
  type === 'ping' || type === 'pong' || type === 'subscribe' || type === 'unsubscribe';

/** Runs the codec's `encode`, turning what it throws (a BigInt, a cycle) into a LifelineError. */
export function encodeWith(
  codec: { encode(envelope: Envelope): string | ArrayBufferLike | Blob | ArrayBufferView },
  envelope: Envelope,
): string | ArrayBufferLike | Blob | ArrayBufferView {
  try {
    return codec.encode(envelope);
  } catch (error) {
    throw new LifelineError(
      'ERR_INVALID_MESSAGE',
      DEV
        ? `Cannot encode the "${envelope.type}" message: ${(error as Error)?.message ?? error}. Send data the codec can encode (JSON: no BigInt, no cycles).`
        : '',
      undefined,
      error,
    );
  }
}

/**
 * Runs a codec's `decode`. The JSON codec never throws; a custom one that does (breaking its
 * contract) gets an `ERR_INVALID_MESSAGE` the socket reports, rather than a lost frame.
 */
export function decodeWith(
  codec: { decode(data: unknown): Envelope | undefined },
  data: unknown,
): Envelope | undefined {
  try {
    return codec.decode(data);
  } catch (error) {
    throw new LifelineError(
      'ERR_INVALID_MESSAGE',
      DEV ? `The codec could not decode an incoming frame: ${(error as Error)?.message}` : '',
      undefined,
      error,
    );
  }
}

/** `JSON.stringify` of an envelope. */
export const encodeEnvelope = (envelope: Envelope): string => JSON.stringify(envelope);

/**
 * Parses a frame into an envelope, or returns `undefined` for anything that is not one
 * (binary data, invalid JSON, arrays, a missing `type`). Never throws; hostile keys
 * (`__proto__`, `constructor`, `prototype`) are removed at every depth.
 *
 * @example
 * ```ts
 * decodeEnvelope('{"type":"chat","data":{"text":"hi"}}'); // { type: 'chat', data: { text: 'hi' } }
 * decodeEnvelope('not json'); // undefined
 * ```
 */
export function decodeEnvelope(data: unknown): Envelope | undefined {
  if (typeof data !== 'string' || data.charCodeAt(0) !== 123 /* { */) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined; // not JSON
  }
  if (SUSPECT.test(data)) scrub(value);
  return toEnvelope(value);
}

/** Keeps only the envelope's own known fields, validated; anything else is not an envelope. */
export function toEnvelope(value: unknown): Envelope | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const { type, id, re, error, stream } = v;
  if (typeof type !== 'string' || type === '') return undefined;
  if ((id !== undefined && typeof id !== 'string') || (re !== undefined && typeof re !== 'string'))
    return undefined;
  const envelope: Envelope = { type };
  if ('data' in v) envelope.data = v.data;
  if (id !== undefined) envelope.id = id;
  if (re !== undefined) envelope.re = re;
  if (typeof stream === 'string') {
    envelope.stream = stream;
    envelope.epoch = v.epoch as string;
    envelope.seq = v.seq as string;
  }
  // Only a non-null object is an error: serializers often write `"error": null` on success.
  if (typeof error === 'object' && error !== null) {
    const { message, code } = error as Record<string, unknown>;
    envelope.error = { message: typeof message === 'string' ? message : 'Remote error' };
    if (typeof code === 'string') envelope.error.code = code;
  }
  return envelope;
}

/** The default codec: JSON envelopes. */
export const jsonCodec = { encode: encodeEnvelope, decode: decodeEnvelope };
