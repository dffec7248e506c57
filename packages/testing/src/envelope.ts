// Decoding what clients send, and describing thrown errors as error replies. Pure functions.
import type { Envelope, FrameData } from './types';

/** Drops keys that could reach a prototype when the data is later spread or assigned. */
const safeKeys = (key: string, value: unknown) =>
  key === '__proto__' || key === 'constructor' || key === 'prototype' ? undefined : value;

/** The envelope in a text frame, or undefined for binary data, bad JSON or no string `type`. */
export function decodeFrame(raw: FrameData): Envelope | undefined {
  if (typeof raw !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw, safeKeys);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return typeof (value as Envelope).type === 'string' ? (value as Envelope) : undefined;
}

/**
 * The `{ message, code }` of an error reply for a thrown value: an error's own string `code`,
 * else `INTERNAL` (the reference server's convention).
 */
export function describeError(error: unknown): { message: string; code: string } {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return { message, code: typeof code === 'string' ? code : 'INTERNAL' };
}
