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
  protocols: ReconnectingSocketOptions['protocols'];
  WebSocket: NativeConstructor | undefined;
  binaryType: BinaryType;
  autoConnect: boolean;
  connectTimeout: number;
  reconnect: ResolvedReconnect;
  reconnectEnabled: boolean;
  queue: Required<QueueOptions> | false;
  network: boolean;
  wake: boolean;
  debug: ReconnectingSocketOptions['debug'];
}

/** The error for a bad option value; the message (development builds) names it and the rule. */
export function invalid(name: string, value: unknown, rule: string | string[]): Error {
  return fail(
    'ERR_INVALID_OPTION',
    DEV
      ? `Invalid option ${name}: ${typeof value === 'string' ? `"${value}"` : String(value)} (${
          Array.isArray(rule) ? `expected ${rule.join(' | ')}` : rule
        }).`
      : '',
  );
}

/** A number ≥ `min` (and ≤ `max`), or `fallback` when left out. */
export function number(
  name: string,
  value: unknown,
  fallback: number,
  min = 0,
  max = Infinity,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min)
    throw invalid(name, value, DEV ? `expected a number ≥ ${min}` : '');
  // setTimeout fires at once for delays it cannot hold, which would turn a long wait into none.
  if (value > max)
    throw invalid(name, value, DEV ? `at most ${max} ms, the longest timer delay` : '');
  return value;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw invalid(name, value, allowed);
  return value as T;
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(name, value, 'expected true or false');
  return value;
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
    throw invalid(name, value, 'expected true, false or an options object');
  return value as T;
}

/** Throws unless `value` is a function or left out. */
export function fn(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function')
    throw invalid(name, value, 'expected a function');
}

// Shared by every socket that keeps the defaults: a socket stores only what differs.
const RECONNECT: ResolvedReconnect = {
  initialDelay: 1000,
  maxDelay: 30000,
  factor: 2,
  jitter: 'full',
  maxAttempts: Number.POSITIVE_INFINITY,
  resetAfter: 5000,
};
const QUEUE: Required<QueueOptions> = {
  maxMessages: 1000,
  maxBytes: 1048576,
  maxAge: Number.POSITIVE_INFINITY,
  overflow: 'drop-oldest',
};
const DEFAULTS: ResolvedOptions = {
  protocols: undefined,
  WebSocket: undefined,
  binaryType: 'blob',
  autoConnect: true,
  connectTimeout: 10000,
  reconnect: RECONNECT,
  reconnectEnabled: true,
  queue: QUEUE,
  network: true,
  wake: true,
  debug: undefined,
};

function resolveReconnect(r: ReconnectOptions): ResolvedReconnect {
  fn('reconnect.shouldReconnect', r.shouldReconnect);
  const d = RECONNECT;
  return {
    initialDelay: number('reconnect.initialDelay', r.initialDelay, d.initialDelay, 0, MAX_DELAY),
    maxDelay: number('reconnect.maxDelay', r.maxDelay, d.maxDelay, 0, MAX_DELAY),
    factor: number('reconnect.factor', r.factor, d.factor, 1),
    jitter: oneOf<Jitter>('reconnect.jitter', r.jitter, ['full', 'equal', 'none'], d.jitter),
    maxAttempts: number('reconnect.maxAttempts', r.maxAttempts, d.maxAttempts),
    resetAfter: number('reconnect.resetAfter', r.resetAfter, d.resetAfter),
    shouldReconnect: r.shouldReconnect,
  };
}

function resolveQueue(q: QueueOptions): Required<QueueOptions> {
  const d = QUEUE;
  return {
    maxMessages: number('queue.maxMessages', q.maxMessages, d.maxMessages),
    maxBytes: number('queue.maxBytes', q.maxBytes, d.maxBytes),
    maxAge: number('queue.maxAge', q.maxAge, d.maxAge),
    overflow: oneOf<OverflowMode>(
      'queue.overflow',
      q.overflow,
      ['drop-oldest', 'drop-newest', 'error'],
      d.overflow,
    ),
  };
}

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
  else if (r !== true) resolved.reconnect = resolveReconnect(r);
  const q = section<QueueOptions>('queue', o.queue, true);
  if (q !== true) resolved.queue = q && resolveQueue(q);
  fn('WebSocket', o.WebSocket);
  if (o.WebSocket) resolved.WebSocket = o.WebSocket as NativeConstructor;
  if (o.debug !== undefined && typeof o.debug !== 'boolean') fn('debug', o.debug);
  if (o.debug) resolved.debug = o.debug;
  const p = o.protocols;
  if (p !== undefined && typeof p !== 'string' && typeof p !== 'function' && !Array.isArray(p))
    throw invalid('protocols', p, 'expected a string, an array of strings or a function');
  if (p !== undefined) resolved.protocols = p;
  if (o.binaryType !== undefined)
    resolved.binaryType = oneOf<BinaryType>(
      'binaryType',
      o.binaryType,
      ['blob', 'arraybuffer'],
      'blob',
    );
  if (o.autoConnect !== undefined) resolved.autoConnect = flag('autoConnect', o.autoConnect, true);
  if (o.connectTimeout !== undefined)
    // 0 means no limit, like Infinity (a zero timeout would fail every attempt at once).
    resolved.connectTimeout = number('connectTimeout', o.connectTimeout, 10000) || Infinity;
  if (o.network !== undefined) resolved.network = flag('network', o.network, true);
  if (o.wake !== undefined) resolved.wake = flag('wake', o.wake, true);
  return resolved;
}
