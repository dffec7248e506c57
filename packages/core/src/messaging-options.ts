// The options only the full Socket takes (heartbeat, requests, codec), resolved apart from
// the reconnecting socket's so the smaller entry does not carry them.
import { DEV } from './dev';
import type { Envelope } from './envelope';
import { fields, invalid, option, type ReconnectingSocketOptions, section } from './options';
import type { PersistOptions } from './persist/options';
import type { ShareOptions } from './share/options';
import type { Untyped } from './types';
import type { MessageSchemas, StreamSchemas } from './validation/types';

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

/**
 * Options of `new Socket(url, options)`. Every field is optional.
 * @typeParam In - the incoming message map, which `schemas` are checked against (or inferred)
 */
export interface SocketOptions<In = Untyped> extends ReconnectingSocketOptions {
  /** @defaultValue off */
  heartbeat?: HeartbeatOptions | boolean;
  /**
   * Default `request()` timeout, ms. `0`, `Infinity` or more than 2^31−1 ms: no timeout.
   * @defaultValue 10000
   */
  requestTimeout?: number;
  /** @defaultValue JSON envelopes */
  codec?: Codec;
  /**
   * `Socket` only: keep queued messages and unanswered requests in IndexedDB, and stream
   * positions in sessionStorage, across reloads and crashes (see survival.md). @defaultValue off
   */
  persist?: PersistOptions;
  /** One connection for all tabs of the origin (see sharing.md). @defaultValue off */
  share?: boolean | ShareOptions;
  /**
   * A Standard Schema (zod, valibot, arktype, …) per incoming message type: a message that
   * fails it is not delivered but emitted as `invalid`; handlers get the schema's output, and
   * are typed by it (see validation.md). @defaultValue none
   */
  schemas?: MessageSchemas<In>;
  /**
   * `Socket` only: per stream name or pattern (`'room:*'`), a Standard Schema per message
   * type of that stream. An invalid stream message is emitted as `invalid` and does not move
   * the subscription's position. @defaultValue none
   */
  streamSchemas?: StreamSchemas;
}

/** The messaging options with every default filled in. */
export interface MessagingSettings {
  heartbeat: Required<HeartbeatOptions> | false;
  requestTimeout: number;
  codec: Codec | undefined;
}

/** The heartbeat's timer delays, checked by `fields`; `HEARTBEAT` below repeats them. */
const TIMING = { interval: 25000, timeout: 10000 };
// Written out, not spread from TIMING: a spread at module level is not side-effect free to a
// bundler, which would then keep this module in the smaller entry.
const HEARTBEAT: Required<HeartbeatOptions> = {
  interval: 25000,
  timeout: 10000,
  message: '{"type":"ping"}',
};
// Shared by every socket that keeps all three defaults.
const MESSAGING: MessagingSettings = { heartbeat: false, requestTimeout: 10000, codec: undefined };

/** Validates the messaging options; throws `ERR_INVALID_OPTION` naming the option. */
export function resolveMessaging(o: SocketOptions = {}): MessagingSettings {
  if (o.heartbeat === undefined && o.requestTimeout === undefined && o.codec === undefined)
    return MESSAGING;
  const h = section<HeartbeatOptions>('heartbeat', o.heartbeat, false);
  const codec = o.codec;
  if (
    codec !== undefined &&
    (typeof codec?.encode !== 'function' || typeof codec.decode !== 'function')
  )
    throw invalid(
      DEV ? 'codec' : '',
      codec,
      DEV ? 'expected { encode(envelope), decode(data) }' : '',
    );
  let heartbeat: Required<HeartbeatOptions> | false = false;
  if (h === true) heartbeat = HEARTBEAT;
  else if (h) {
    const message = h.message ?? HEARTBEAT.message;
    if (typeof message !== 'string')
      throw invalid(DEV ? 'heartbeat.message' : '', message, DEV ? 'expected a string' : '');
    heartbeat = { ...fields('heartbeat', h, TIMING), message };
  }
  return {
    heartbeat,
    requestTimeout: option('requestTimeout', o.requestTimeout, MESSAGING.requestTimeout),
    codec,
  };
}
