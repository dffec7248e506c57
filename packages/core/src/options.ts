// Every option, its default and its validation, in one place.
import type { Jitter } from './backoff';
import { MAX_DELAY } from './clock';
import type { Envelope } from './envelope';
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

/** Idle ping and dead-connection detection; `true` takes the defaults. */
export interface HeartbeatOptions {
  /** Ping after this many ms with nothing received (at most 2^31−1). @defaultValue 25000 */
  interval?: number;
  /**
   * No frame at all within this many ms after a ping: the connection is dead (at most 2^31−1).
   * @defaultValue 10000
   */
  timeout?: number;
  /** The ping frame. @defaultValue '{"type":"ping"}' */
  message?: string;
}

/** Replaces the JSON envelope codec (e.g. MessagePack). */
export interface Codec {
  encode(envelope: Envelope): string | ArrayBufferLike | Blob | ArrayBufferView;
  /** Returns the envelope, or `undefined` for anything that is not one. Must not throw. */
  decode(data: unknown): Envelope | undefined;
}

/** Options of `new Socket(url, options)`. Every field is optional. */
export interface SocketOptions {
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
  /** @defaultValue off */
  heartbeat?: HeartbeatOptions | boolean;
  /** Pause attempts while offline; retry at once on `online` / page shown. @defaultValue true */
  network?: boolean;
  /** Stop trusting OPEN after a device sleep. @defaultValue true */
  wake?: boolean;
  /**
   * Default `request()` timeout, ms. `0`, `Infinity` or more than 2^31−1 ms: no timeout.
   * @defaultValue 10000
   */
  requestTimeout?: number;
  /** @defaultValue JSON envelopes */
  codec?: Codec;
  /** `true` logs through `console.debug`; a function receives each record. @defaultValue false */
  debug?: boolean | ((record: LogRecord) => void);
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  protocols: SocketOptions['protocols'];
  WebSocket: NativeConstructor | undefined;
  binaryType: BinaryType;
  autoConnect: boolean;
  connectTimeout: number;
  reconnect: Required<Omit<ReconnectOptions, 'shouldReconnect'>> &
    Pick<ReconnectOptions, 'shouldReconnect'>;
  reconnectEnabled: boolean;
  queue: Required<QueueOptions> | false;
  heartbeat: Required<HeartbeatOptions> | false;
  network: boolean;
  wake: boolean;
  requestTimeout: number;
  codec: Codec | undefined;
  debug: SocketOptions['debug'];
}

const invalid = (name: string, value: unknown, rule: string) =>
  fail(
    'ERR_INVALID_OPTION',
    `Invalid option ${name}: ${typeof value === 'string' ? `"${value}"` : String(value)} (${rule}).`,
  );

function number(name: string, value: unknown, fallback: number, min = 0, max = Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min)
    throw invalid(name, value, `expected a number ≥ ${min}`);
  // setTimeout fires at once for delays it cannot hold, which would turn a long wait into none.
  if (value > max) throw invalid(name, value, `at most ${max} ms, the longest timer delay`);
  return value;
}

function text(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw invalid(name, value, 'expected a string');
  return value;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw invalid(name, value, `expected ${allowed.join(' | ')}`);
  return value as T;
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(name, value, 'expected true or false');
  return value;
}

function section<T extends object>(name: string, value: unknown, on: boolean): T | false {
  if (value === undefined) return on ? ({} as T) : false;
  if (value === false) return false;
  if (value === true) return {} as T;
  if (typeof value !== 'object' || value === null)
    throw invalid(name, value, 'expected true, false or an options object');
  return value as T;
}

function fn(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function')
    throw invalid(name, value, 'expected a function');
}

/** Validates `options` and fills in defaults; throws `ERR_INVALID_OPTION` naming the option. */
export function resolveOptions(options: SocketOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw invalid(
      'options',
      options,
      // The native habit `new WebSocket(url, protocols)`: point at where protocols go here.
      Array.isArray(options) || typeof options === 'string'
        ? `expected an options object; subprotocols go in { protocols: ${JSON.stringify(options)} }`
        : 'expected an object',
    );
  const o = options;
  const r = section<ReconnectOptions>('reconnect', o.reconnect, true);
  const q = section<QueueOptions>('queue', o.queue, true);
  const h = section<HeartbeatOptions>('heartbeat', o.heartbeat, false);
  const rc = r || {};
  fn('WebSocket', o.WebSocket);
  fn('reconnect.shouldReconnect', rc.shouldReconnect);
  if (
    o.codec !== undefined &&
    (typeof o.codec?.encode !== 'function' || typeof o.codec.decode !== 'function')
  )
    throw invalid('codec', o.codec, 'expected { encode(envelope), decode(data) }');
  if (o.debug !== undefined && typeof o.debug !== 'boolean') fn('debug', o.debug);
  const p = o.protocols;
  if (p !== undefined && typeof p !== 'string' && typeof p !== 'function' && !Array.isArray(p))
    throw invalid('protocols', p, 'expected a string, an array of strings or a function');

  const reconnect = {
    initialDelay: number('reconnect.initialDelay', rc.initialDelay, 1000, 0, MAX_DELAY),
    maxDelay: number('reconnect.maxDelay', rc.maxDelay, 30000, 0, MAX_DELAY),
    factor: number('reconnect.factor', rc.factor, 2, 1),
    jitter: oneOf<Jitter>('reconnect.jitter', rc.jitter, ['full', 'equal', 'none'], 'full'),
    maxAttempts: number('reconnect.maxAttempts', rc.maxAttempts, Number.POSITIVE_INFINITY),
    resetAfter: number('reconnect.resetAfter', rc.resetAfter, 5000),
    shouldReconnect: rc.shouldReconnect,
  };
  return {
    protocols: p,
    WebSocket: o.WebSocket as NativeConstructor | undefined,
    binaryType: oneOf<BinaryType>('binaryType', o.binaryType, ['blob', 'arraybuffer'], 'blob'),
    autoConnect: flag('autoConnect', o.autoConnect, true),
    // 0 means no limit, like Infinity (a zero timeout would fail every attempt at once).
    connectTimeout: number('connectTimeout', o.connectTimeout, 10000) || Infinity,
    reconnect,
    reconnectEnabled: r !== false,
    queue: q && {
      maxMessages: number('queue.maxMessages', q.maxMessages, 1000),
      maxBytes: number('queue.maxBytes', q.maxBytes, 1048576),
      maxAge: number('queue.maxAge', q.maxAge, Number.POSITIVE_INFINITY),
      overflow: oneOf<OverflowMode>(
        'queue.overflow',
        q.overflow,
        ['drop-oldest', 'drop-newest', 'error'],
        'drop-oldest',
      ),
    },
    heartbeat: h && {
      interval: number('heartbeat.interval', h.interval, 25000, 0, MAX_DELAY),
      timeout: number('heartbeat.timeout', h.timeout, 10000, 0, MAX_DELAY),
      message: text('heartbeat.message', h.message, '{"type":"ping"}'),
    },
    network: flag('network', o.network, true),
    wake: flag('wake', o.wake, true),
    requestTimeout: number('requestTimeout', o.requestTimeout, 10000),
    codec: o.codec,
    debug: o.debug,
  };
}
