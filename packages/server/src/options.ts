// Options of createServer: defaults and validation in one place. A bad option throws
// ServerError ERR_INVALID_OPTION naming the option and the value.
import type { Server as HttpServer } from 'node:http';
import { ServerError } from './errors';
import { memoryStore } from './memory-store';
import { parseOrigin } from './origin';
import type { StreamStore } from './store';
import type { Authorize } from './types';

/** Options of `createServer`; give `server` or `port`. */
export interface ServerOptions {
  /** Mount on this HTTP(S) server: upgrades on `path` are taken, others left alone. */
  server?: HttpServer;
  /** Listen on this port (0 picks a free one) instead of mounting. */
  port?: number;
  /** Host to listen on with `port`. Default '127.0.0.1'. */
  host?: string;
  /** URL path of the WebSocket endpoint. Default '/ws'. */
  path?: string;
  /**
   * Browser origins allowed besides the server's own host (an `Origin` equal to the `Host`
   * header); `'*'` allows all. Handshakes without `Origin` (not browsers) always pass.
   */
  allowOrigins?: string[];
  /** Largest frame in bytes; a larger one closes the connection with 1009. Default 1 MiB. */
  maxPayload?: number;
  /** Stream logs. Default `memoryStore()` (closed with the server). */
  store?: StreamStore;
  /** Milliseconds a reply is remembered for a repeated request id. Default 120000. */
  dedupeWindow?: number;
  /** Called per connection and per subscribe; false refuses (1008 / FORBIDDEN). */
  authorize?: Authorize;
  /** Milliseconds between ws-level pings; a client that misses one is terminated. 0 disables. Default 30000. */
  pingInterval?: number;
  /** Milliseconds `close()` waits for clients to finish the closing handshake before cutting them off. Default 5000. */
  closeTimeout?: number;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  server: HttpServer | undefined;
  port: number | undefined;
  host: string;
  path: string;
  allowOrigins: string[];
  maxPayload: number;
  store: StreamStore;
  /** True when the store was created here, so the server closes it. */
  ownsStore: boolean;
  dedupeWindow: number;
  authorize: Authorize | undefined;
  pingInterval: number;
  closeTimeout: number;
}

const fail = (message: string): never => {
  throw new ServerError('ERR_INVALID_OPTION', `createServer: ${message}`);
};

const show = (value: unknown) =>
  typeof value === 'string' ? JSON.stringify(value) : String(value);

function nonNegative(name: string, value: unknown, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  ) {
    fail(
      `${name} must be a ${integer ? 'non-negative integer' : 'finite number >= 0'}, got ${show(value)}`,
    );
  }
  return value as number;
}

const STORE_METHODS = ['append', 'head', 'readSince', 'subscribe', 'close'] as const;

/** Applies defaults to `options` and checks them. */
export function resolveOptions(options: ServerOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) fail('options must be an object');
  const { server, port } = options;
  if (server === undefined && port === undefined) fail('give `server` (to mount on) or `port`');
  if (server !== undefined && port !== undefined) fail('give `server` or `port`, not both');
  if (server !== undefined && typeof server?.on !== 'function') {
    fail('server must be an http.Server or https.Server');
  }
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    fail(`port must be an integer from 0 to 65535, got ${show(port)}`);
  }
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '')
    fail(`host must be a non-empty string, got ${show(host)}`);
  const path = options.path ?? '/ws';
  if (typeof path !== 'string' || !path.startsWith('/') || /[?#]/.test(path)) {
    fail(`path must start with "/" and have no query or hash, got ${show(path)}`);
  }
  const allowOrigins = options.allowOrigins ?? [];
  if (!Array.isArray(allowOrigins)) fail('allowOrigins must be an array of origins');
  for (const entry of allowOrigins) {
    if (typeof entry !== 'string') fail(`allowOrigins entries must be strings, got ${show(entry)}`);
    if (entry !== '*') parseOrigin(entry);
  }
  const maxPayload = nonNegative('maxPayload', options.maxPayload, 1024 * 1024, true);
  if (maxPayload < 1) fail('maxPayload must be at least 1 byte');
  const store = options.store;
  if (store !== undefined) {
    for (const method of STORE_METHODS) {
      if (typeof (store as unknown as Record<string, unknown>)?.[method] !== 'function') {
        fail(`store must implement StreamStore (missing ${method}())`);
      }
    }
  }
  const authorize = options.authorize;
  if (authorize !== undefined && typeof authorize !== 'function') {
    fail('authorize must be a function');
  }
  return {
    server,
    port,
    host,
    path,
    allowOrigins,
    maxPayload,
    store: store ?? memoryStore(),
    ownsStore: store === undefined,
    dedupeWindow: nonNegative('dedupeWindow', options.dedupeWindow, 120_000),
    authorize,
    pingInterval: nonNegative('pingInterval', options.pingInterval, 30_000),
    closeTimeout: nonNegative('closeTimeout', options.closeTimeout, 5000),
  };
}
