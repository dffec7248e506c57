// The options every socket takes (the reconnecting socket's), their defaults and their
// validation, in one place. The messaging options of the full Socket are in
// messaging-options.ts, so the smaller entry does not carry them.
import type { Jitter } from './backoff';
import { MAX_DELAY } from './clock';
import { DEV } from './dev';
import { fail } from './errors';
import type { LogRecord } from './log';
import type { CloseInfo } from './policy';

/** What the overflow of a full queue does with the newest message. */
export type OverflowMode = 'drop-oldest' | 'drop-newest' | 'error';

/**
 * The part of a WebSocket instance Lifeline uses. The native `WebSocket`, `ws`'s and test
 * doubles all have it.
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** The subprotocol the server chose. */
  readonly protocol: string;
  /** The extensions the server chose. */
  readonly extensions: string;
  /** Bytes sent but not yet transmitted. */
  readonly bufferedAmount: number;
  /** Set by Lifeline to its own `binaryType`. */
  binaryType: string;
  // The handlers take `never`: `ws` and the DOM each type their events their own way, and
  // Lifeline only assigns these.
  /** Set by Lifeline; called once the connection is open. */
  onopen: ((event: never) => void) | null;
  /** Set by Lifeline; called with each message, an event with `data`. */
  onmessage: ((event: never) => void) | null;
  /** Set by Lifeline; called when the connection fails. */
  onerror: ((event: never) => void) | null;
  /** Set by Lifeline; called with an event with `code`, `reason` and `wasClean`. */
  onclose: ((event: never) => void) | null;
  /** Sends a frame. */
  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
}

/**
 * A constructor with the shape of the native `WebSocket`: `globalThis.WebSocket`, `ws`'s
 * default export (`import WebSocket from 'ws'`, no cast needed) or a test double.
 */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
) => WebSocketLike;

/**
 * How Lifeline calls the constructor (internal): the native surface, which every
 * `WebSocketLike` has at run time.
 */
export type NativeConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

/** Reconnect policy; `false` turns reconnection off. */
export interface ReconnectOptions {
  /** Delay cap of the first attempt, ms. @defaultValue 1000 */
  initialDelay?: number;
  /** Upper bound of any delay, ms. @defaultValue 30000 */
  maxDelay?: number;
  /** Growth of the cap per attempt (≥ 1). @defaultValue 2 */
  factor?: number;
  /** Randomisation of the delay. @defaultValue 'full' */
  jitter?: Jitter;
  /** Reconnect attempts after which Lifeline gives up (`giveup`). @defaultValue Infinity */
  maxAttempts?: number;
  /** A connection open this long (ms) resets the attempt counter. @defaultValue 5000 */
  resetAfter?: number;
  /** Overrides the close-code policy: return true to reconnect after this close. */
  shouldReconnect?: (close: CloseInfo) => boolean;
}

/** The outbox for messages sent while not open; `false` turns queueing off. */
export interface QueueOptions {
  /** @defaultValue 1000 */
  maxMessages?: number;
  /** Total UTF-8/binary bytes. @defaultValue 1048576 (1 MiB) */
  maxBytes?: number;
  /** A message older than this (ms) when the queue flushes is dropped. @defaultValue Infinity */
  maxAge?: number;
  /** @defaultValue 'drop-oldest' */
  overflow?: OverflowMode;
}

/** Options of `new ReconnectingSocket(url, options)` (and `Socket`'s). Every field is optional. */
export interface ReconnectingSocketOptions {
  /** Subprotocols, or a function called before every attempt. */
  protocols?: string | string[] | (() => string | string[] | undefined);
  /** The constructor to use (pass `ws` in Node). @defaultValue globalThis.WebSocket */
  WebSocket?: WebSocketConstructor;
  /** @defaultValue 'blob' */
  binaryType?: BinaryType;
  /** Connect from the constructor. @defaultValue true */
  autoConnect?: boolean;
  /**
   * A socket still connecting after this many ms is a failed attempt; it also bounds how long
   * `close()` waits for the server's answer. `0`, `Infinity` or more than 2^31−1 ms: no limit.
   * @defaultValue 10000
   */
  connectTimeout?: number;
  /** @defaultValue on */
  reconnect?: ReconnectOptions | boolean;
  /** @defaultValue on */
  queue?: QueueOptions | boolean;
  /** Pause attempts while offline; retry at once on `online` / page shown. @defaultValue true */
  network?: boolean;
  /** Stop trusting OPEN after a device sleep. @defaultValue true */
  wake?: boolean;
  /** `true` logs through `console.debug`; a function receives each record. @defaultValue false */
  debug?: boolean | ((record: LogRecord) => void);
}

type ResolvedReconnect = Required<Omit<ReconnectOptions, 'shouldReconnect'>> &
  Pick<ReconnectOptions, 'shouldReconnect'>;

/** Options with every default filled in. */
export interface ResolvedOptions {
  protocols?: ReconnectingSocketOptions['protocols'];
  WebSocket?: NativeConstructor;
  binaryType: BinaryType;
  autoConnect: boolean;
  connectTimeout: number;
  reconnect: ResolvedReconnect;
  reconnectEnabled: boolean;
  queue: Required<QueueOptions> | false;
  network: boolean;
  wake: boolean;
  debug?: ReconnectingSocketOptions['debug'];
}

/** The error for a bad option value; the message (development builds) names it and the rule. */
export function invalid(name: string, value: unknown, rule: string | readonly string[]): Error {
  return fail(
    'ERR_INVALID_OPTION',
    DEV
      ? `Invalid option ${name}: ${typeof value === 'string' ? `"${value}"` : String(value)} (${
          Array.isArray(rule) ? `expected ${rule.join(' | ')}` : rule
        }).`
      : '',
  );
}

// The rules, by option key: one checker reads the kind of an option from its default, so
// each option is named once (in its defaults object) rather than once per rule.
/** The options that take one of a few strings. */
const CHOICES: Record<string, readonly string[]> = {
  jitter: ['full', 'equal', 'none'],
  overflow: ['drop-oldest', 'drop-newest', 'error'],
  binaryType: ['blob', 'arraybuffer'],
};
/** Timer delays: setTimeout fires at once for delays it cannot hold, turning a long wait into none. */
const DELAYS = ['initialDelay', 'maxDelay', 'interval', 'timeout'];

/**
 * `value` checked against the kind of `fallback` (a number ≥ 0, ≥ 1 for `factor` and at most
 * `MAX_DELAY` for timer delays; one of `CHOICES`; else a boolean), or `fallback` when left out.
 * `name` is the option's path, e.g. `reconnect.maxDelay`; its last part picks the rule.
 */
export function option<T>(name: string, value: unknown, fallback: T): T {
  if (value === undefined) return fallback;
  const key = name.slice(name.indexOf('.') + 1);
  const choices = CHOICES[key];
  if (choices) {
    if (!choices.includes(value as string)) throw invalid(name, value, choices);
  } else if (typeof fallback === 'number') {
    const min = key === 'factor' ? 1 : 0;
    // `!(value >= min)` rules out NaN too.
    if (typeof value !== 'number' || !(value >= min))
      throw invalid(name, value, DEV ? `expected a number ≥ ${min}` : '');
    if (value > MAX_DELAY && DELAYS.includes(key))
      throw invalid(name, value, DEV ? `at most ${MAX_DELAY} ms, the longest timer delay` : '');
  } else if (typeof value !== 'boolean')
    throw invalid(name, value, DEV ? 'expected true or false' : '');
  return value as T;
}

/** An options section: `true` (defaults), `false` (off), an object, or left out (`on`). */
export function section<T extends object>(
  name: string,
  value: unknown,
  on: boolean,
): T | true | false {
  if (value === undefined) return on;
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'object' || value === null)
    throw invalid(name, value, DEV ? 'expected true, false or an options object' : '');
  return value as T;
}

/** Throws unless `value` is a function or left out. */
export function fn(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function')
    throw invalid(name, value, DEV ? 'expected a function' : '');
}

/** Every field of `defaults`, checked in `given` by `option` (in the defaults' order). */
export function fields<T extends object>(name: string, given: object, defaults: T): T {
  const resolved: Record<string, unknown> = {};
  for (const key of Object.keys(defaults))
    resolved[key] = option(
      `${name}.${key}`,
      (given as Record<string, unknown>)[key],
      (defaults as Record<string, unknown>)[key],
    );
  return resolved as T;
}

// Shared by every socket that keeps the defaults: a socket stores only what differs.
const RECONNECT: ResolvedReconnect = {
  initialDelay: 1000,
  maxDelay: 30000,
  factor: 2,
  jitter: 'full',
  maxAttempts: Infinity,
  resetAfter: 5000,
};
const QUEUE: Required<QueueOptions> = {
  maxMessages: 1000,
  maxBytes: 1048576,
  maxAge: Infinity,
  overflow: 'drop-oldest',
};
// The options without a default (protocols, WebSocket, debug) are absent until given.
const DEFAULTS: ResolvedOptions = {
  binaryType: 'blob',
  autoConnect: true,
  connectTimeout: 10000,
  reconnect: RECONNECT,
  reconnectEnabled: true,
  queue: QUEUE,
  network: true,
  wake: true,
};
/** The top-level options with a plain value, checked by `option` in this order. */
const SCALARS = ['binaryType', 'autoConnect', 'connectTimeout', 'network', 'wake'] as const;

/**
 * Validates `options` and fills in defaults; throws `ERR_INVALID_OPTION` naming the option.
 * The result inherits the defaults from one shared object and holds only what differs.
 */
export function resolveOptions(options: ReconnectingSocketOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw invalid(
      'options',
      options,
      // The native habit `new WebSocket(url, protocols)`: point at where protocols go here.
      DEV && (Array.isArray(options) || typeof options === 'string')
        ? `expected an options object; subprotocols go in { protocols: ${JSON.stringify(options)} }`
        : 'expected an object',
    );
  const o = options;
  const resolved = Object.create(DEFAULTS) as ResolvedOptions;
  const r = section<ReconnectOptions>('reconnect', o.reconnect, true);
  if (r === false) resolved.reconnectEnabled = false;
  else if (r !== true) {
    fn('reconnect.shouldReconnect', r.shouldReconnect);
    resolved.reconnect = fields('reconnect', r, RECONNECT);
    resolved.reconnect.shouldReconnect = r.shouldReconnect;
  }
  const q = section<QueueOptions>('queue', o.queue, true);
  if (q !== true) resolved.queue = q && fields('queue', q, QUEUE);
  fn('WebSocket', o.WebSocket);
  if (o.WebSocket) resolved.WebSocket = o.WebSocket as NativeConstructor;
  if (typeof o.debug !== 'boolean') fn('debug', o.debug);
  if (o.debug) resolved.debug = o.debug;
  const p = o.protocols;
  if (p !== undefined && typeof p !== 'string' && typeof p !== 'function' && !Array.isArray(p))
    throw invalid(
      'protocols',
      p,
      DEV ? 'expected a string, an array of strings or a function' : '',
    );
  if (p !== undefined) resolved.protocols = p;
  for (const key of SCALARS)
    if (o[key] !== undefined)
      (resolved as unknown as Record<string, unknown>)[key] = option(key, o[key], DEFAULTS[key]);
  // 0 means no limit, like Infinity (a zero timeout would fail every attempt at once).
  if (o.connectTimeout === 0) resolved.connectTimeout = Infinity;
  return resolved;
}
