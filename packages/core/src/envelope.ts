// The JSON envelope wire format (DESIGN §3): one JSON object per text frame.
//   event   {"type":"chat","data":{…}}
//   request {"type":"sum","id":"<unique>","data":{…}}
//   reply   {"type":"sum","re":"<id>","data":…} or {"type":"sum","re":"<id>","error":{…}}

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
}

// Keys that could reach a prototype if a consumer merges decoded data into its own objects.
// A frame mentioning one, or using any \u escape (which can spell one: "\u005f_proto__"),
// takes the slower, filtering parse.
const SUSPECT = /__proto__|constructor|prototype|\\u/;
const dropHostileKeys = (key: string, value: unknown) =>
  key === '__proto__' || key === 'constructor' || key === 'prototype' ? undefined : value;

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
    // The reviver costs time on every key, so only frames that mention a hostile key pay it.
    value = SUSPECT.test(data) ? JSON.parse(data, dropHostileKeys) : JSON.parse(data);
  } catch {
    return undefined; // not JSON, or nested too deep for the reviver's recursion
  }
  return toEnvelope(value);
}

/** Keeps only the envelope's own known fields, validated; anything else is not an envelope. */
export function toEnvelope(value: unknown): Envelope | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const { type, id, re, error } = v;
  if (typeof type !== 'string' || type === '') return undefined;
  if ((id !== undefined && typeof id !== 'string') || (re !== undefined && typeof re !== 'string'))
    return undefined;
  const envelope: Envelope = { type };
  if ('data' in v) envelope.data = v.data;
  if (id !== undefined) envelope.id = id;
  if (re !== undefined) envelope.re = re;
  if (error !== undefined) {
    const e = error as Record<string, unknown> | null;
    envelope.error = {
      message: typeof e?.message === 'string' ? e.message : 'Remote error',
      ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    };
  }
  return envelope;
}
