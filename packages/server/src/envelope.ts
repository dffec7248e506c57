// Decoding client frames and encoding server frames (DESIGN §3). Decoding never throws and
// never yields `__proto__`/`constructor`/`prototype` keys, so decoded data is safe to merge.

/** An envelope from a client: an event (no `id`) or a request. */
export interface Envelope {
  type: string;
  id?: string;
  data?: unknown;
}

/** Request ids longer than this are not envelopes: ids are cache keys, kept small. */
export const MAX_ID_LENGTH = 256;

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAYBE_UNSAFE = /__proto__|constructor|prototype/;

const dropUnsafeKeys = (key: string, value: unknown) => (UNSAFE_KEYS.has(key) ? undefined : value);

/** Parses JSON text without unsafe keys; `undefined` when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    // The reviver costs a call per value; only text that names an unsafe key pays it.
    return MAYBE_UNSAFE.test(text) ? JSON.parse(text, dropUnsafeKeys) : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The envelope in a text frame, or `undefined` when the frame is not one. */
export function decodeEnvelope(text: string): Envelope | undefined {
  const value = parseJson(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { type, id, data } = value as Record<string, unknown>;
  if (typeof type !== 'string' || type === '') return undefined;
  if (id === undefined) return { type, data };
  if (typeof id !== 'string' || id === '' || id.length > MAX_ID_LENGTH) return undefined;
  return { type, id, data };
}

/** A successful reply; throws when `data` cannot be encoded as JSON. */
export function encodeReply(type: string, id: string, data: unknown): string {
  return JSON.stringify({ type, re: id, data });
}

/** An error reply. */
export function encodeErrorReply(type: string, id: string, message: string, code: string): string {
  return JSON.stringify({ type, re: id, error: { message, code } });
}

/** An event (server → client). */
export function encodeEvent(type: string, data: unknown): string {
  return JSON.stringify(data === undefined ? { type } : { type, data });
}

/** The `{ message, code }` an error reply carries for a thrown value. */
export function describeError(error: unknown): { message: string; code: string | undefined } {
  const message =
    error instanceof Error ? error.message : typeof error === 'string' ? error : 'Request failed';
  const code = (error as { code?: unknown } | null)?.code;
  return { message, code: typeof code === 'string' && code !== '' ? code : undefined };
}
