// Debug logging. Every record passes through `redact`, so tokens carried in URLs (query
// parameters, user:password@) never reach a console or a log pipeline.

/** One debug record. */
export interface LogRecord {
  /** What happened, e.g. `'connecting'`, `'closed'`, `'retry'`. */
  event: string;
  /** Details; URLs in it are redacted. */
  [key: string]: unknown;
}

/** Where records go: nowhere (false), `console.debug` (true), or a function. */
export type LogSink = boolean | ((record: LogRecord) => void) | undefined;

const SECRET_PARAM =
  /([?&;](?:[^=&#]*(?:token|auth|key|secret|pass|sig|session|jwt|credential|code)[^=&#]*)=)[^&#]*/gi;
const USERINFO = /(\/\/)[^/@?#]*@/g;

/**
 * Replaces secret-looking query values and user info in every URL inside `text`.
 *
 * @example
 * ```ts
 * redact('wss://api.example.com/ws?token=abc&room=1'); // 'wss://api.example.com/ws?token=[redacted]&room=1'
 * ```
 */
export const redact = (text: string): string =>
  text.replace(SECRET_PARAM, '$1[redacted]').replace(USERINFO, '$1[redacted]@');

const noop = () => {};

/** Builds the logger for a `debug` option; one shared no-op when debugging is off. */
export function createLogger(sink: LogSink): (record: LogRecord) => void {
  if (!sink) return noop;
  return (record) => {
    const safe: LogRecord = { event: record.event };
    for (const key of Object.keys(record)) {
      const value = record[key];
      safe[key] = typeof value === 'string' ? redact(value) : value;
    }
    if (typeof sink === 'function') sink(safe);
    else console.debug('[lifeline]', safe);
  };
}
