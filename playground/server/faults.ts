// Fault requests from the page, validated and bounded. Pure: applying them is fault-runner.ts.
import { PlaygroundError } from './protocol';

/** A fault the page can inject, as sent in a `{"type":"fault","data":{kind,…}}` envelope. */
export type Fault =
  /** Kill the TCP connection without a close frame (the client sees 1006). */
  | { kind: 'drop' }
  /** Send a close frame with this code and reason. */
  | { kind: 'close'; code: number; reason: string }
  /** Close every client (1012) and refuse new connections for `seconds`. */
  | { kind: 'restart'; seconds: number }
  /** Stay connected but ignore everything from this client until it reconnects. */
  | { kind: 'blackhole' }
  /** Hold every later reply to this client for `ms` (0 turns it off). */
  | { kind: 'delay'; ms: number }
  /** Send `count` envelopes of about `size` bytes each, at once. */
  | { kind: 'flood'; count: number; size: number }
  /** Send a text frame that is not valid JSON. */
  | { kind: 'malformed' };

/** Upper bounds, so a click cannot exhaust the machine. */
export const FAULT_LIMITS = {
  restartSeconds: 60,
  delayMs: 30_000,
  floodCount: 10_000,
  floodSize: 64 * 1024,
  /** Total bytes one flood may send. */
  floodBytes: 16 * 1024 * 1024,
  reasonBytes: 123,
} as const;

/** Kinds of fault, for the page and error messages. */
export const FAULT_KINDS = [
  'drop',
  'close',
  'restart',
  'blackhole',
  'delay',
  'flood',
  'malformed',
] as const;

const bad = (message: string) => new PlaygroundError('ERR_BAD_FAULT', message);

function number(
  data: Record<string, unknown>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = data[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw bad(`${name} must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Close codes a server may put in a close frame (RFC 6455 §7.4, minus the reserved ones). */
export function isSendableCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false;
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006;
}

/** Validates `data` from a fault envelope; throws a `PlaygroundError` (`ERR_BAD_FAULT`) saying why. */
export function parseFault(data: unknown): Fault {
  if (typeof data !== 'object' || data === null) throw bad('fault data must be an object');
  const fields = data as Record<string, unknown>;
  switch (fields.kind) {
    case 'drop':
    case 'blackhole':
    case 'malformed':
      return { kind: fields.kind };
    case 'close': {
      const code = number(fields, 'code', 1000, 1000, 4999);
      if (!isSendableCloseCode(code)) {
        throw bad(`code ${code} cannot be sent: use 1000–1003, 1007–1014 or 3000–4999`);
      }
      const reason = fields.reason ?? '';
      if (typeof reason !== 'string') throw bad('reason must be a string');
      if (Buffer.byteLength(reason) > FAULT_LIMITS.reasonBytes) {
        throw bad(`reason must be at most ${FAULT_LIMITS.reasonBytes} bytes of UTF-8`);
      }
      return { kind: 'close', code, reason };
    }
    case 'restart':
      return {
        kind: 'restart',
        seconds: number(fields, 'seconds', 2, 0, FAULT_LIMITS.restartSeconds),
      };
    case 'delay':
      return { kind: 'delay', ms: number(fields, 'ms', 1000, 0, FAULT_LIMITS.delayMs) };
    case 'flood': {
      const count = Math.floor(number(fields, 'count', 100, 1, FAULT_LIMITS.floodCount));
      const size = Math.floor(number(fields, 'size', 0, 0, FAULT_LIMITS.floodSize));
      if (count * size > FAULT_LIMITS.floodBytes) {
        throw bad(`count × size must stay under ${FAULT_LIMITS.floodBytes} bytes`);
      }
      return { kind: 'flood', count, size };
    }
    default:
      throw bad(
        `unknown fault kind ${JSON.stringify(fields.kind)}; use one of ${FAULT_KINDS.join(', ')}`,
      );
  }
}
