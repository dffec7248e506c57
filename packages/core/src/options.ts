// Every option, its default and its validation, in one place.
import type { Jitter } from './backoff';
import type { Envelope } from './envelope';
import { fail } from './errors';
import type { LogRecord } from './log';
import type { CloseInfo } from './policy';

/** What the overflow of a full queue does with the newest message. */
export type OverflowMode = 'drop-oldest' | 'drop-newest' | 'error';

/** A constructor with the shape of the native `WebSocket`. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

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
  /** Ping after this many ms with nothing received. @defaultValue 25000 */
  interval?: number;
  /** No frame at all within this many ms after a ping: the connection is dead. @defaultValue 10000 */
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
  /** A socket still connecting after this many ms is a failed attempt. @defaultValue 10000 */
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
  /** Default `request()` timeout, ms. @defaultValue 10000 */
  requestTimeout?: number;
  /** @defaultValue JSON envelopes */
  codec?: Codec;
  /** `true` logs through `console.debug`; a function receives each record. @defaultValue false */
  debug?: boolean | ((record: LogRecord) => void);
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  protocols: SocketOptions['protocols'];
  WebSocket: WebSocketConstructor | undefined;
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

function number(name: string, value: unknown, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min)
    throw invalid(name, value, `expected a number ≥ ${min}`);
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
      Array.isArray(options) ? 'subprotocols go in { protocols: [...] }' : 'expected an object',
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
    initialDelay: number('reconnect.initialDelay', rc.initialDelay, 1000),
    maxDelay: number('reconnect.maxDelay', rc.maxDelay, 30000),
    factor: number('reconnect.factor', rc.factor, 2, 1),
    jitter: oneOf<Jitter>('reconnect.jitter', rc.jitter, ['full', 'equal', 'none'], 'full'),
    maxAttempts: number('reconnect.maxAttempts', rc.maxAttempts, Number.POSITIVE_INFINITY),
    resetAfter: number('reconnect.resetAfter', rc.resetAfter, 5000),
    shouldReconnect: rc.shouldReconnect,
  };
  return {
    protocols: p,
    WebSocket: o.WebSocket,
    binaryType: oneOf<BinaryType>('binaryType', o.binaryType, ['blob', 'arraybuffer'], 'blob'),
    autoConnect: flag('autoConnect', o.autoConnect, true),
    connectTimeout: number('connectTimeout', o.connectTimeout, 10000),
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
      interval: number('heartbeat.interval', h.interval, 25000),
      timeout: number('heartbeat.timeout', h.timeout, 10000),
      message: text('heartbeat.message', h.message, '{"type":"ping"}'),
    },
    network: flag('network', o.network, true),
    wake: flag('wake', o.wake, true),
    requestTimeout: number('requestTimeout', o.requestTimeout, 10000),
    codec: o.codec,
    debug: o.debug,
  };
}
