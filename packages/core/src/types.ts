// Public event payloads and the message maps that type envelopes end to end.
import type { Envelope } from './envelope';
import type { Status } from './machine';
import type { CloseInfo } from './policy';
import type { DropReason, SendData } from './queue';
import type { RequestOptions } from './requests';
import type { InvalidEvent } from './validation/types';

/** The default of the message maps: any type, any data. */
// biome-ignore lint/suspicious/noExplicitAny: an untyped socket accepts any message
export type Untyped = any;

/**
 * Maps each incoming or outgoing message `type` to its `data`: a type alias or an interface
 * (`interface In { chat: { text: string } }`). An outgoing map must also be a
 * {@link JsonMessageMap}.
 */
// biome-ignore lint/suspicious/noExplicitAny: an `any` index signature is the one that interfaces (which declare none) satisfy
export type MessageMap = Record<string, any>;

/**
 * Maps each request `type` to `{ data: D; reply: R }`: the data it sends and the reply data it
 * resolves with. A type alias or an interface; `Socket` checks each entry with
 * {@link JsonRequestMap}. An entry without `data`, or whose `data` admits `undefined`, makes
 * the argument optional: `request('ping')`.
 */
// biome-ignore lint/suspicious/noExplicitAny: see MessageMap
export type RequestMap = Record<string, any>;

/**
 * `T` with `never` in place of every part that JSON cannot carry as typed (`bigint`, functions,
 * symbols, `Map`, `Set`), at any depth: `T` is assignable to `Json<T>` exactly when it is
 * JSON. A `toJSON()` method (as on `Date`) makes a value JSON; `any` and `unknown` are kept.
 */
export type Json<T> = 0 extends 1 & T
  ? T
  : T extends string | number | boolean | null | undefined
    ? T
    : T extends {
          /** What `JSON.stringify` encodes instead. */
          toJSON(): unknown;
        }
      ? T
      : // What JSON.stringify cannot carry as typed: it throws on a bigint, drops functions and
        // symbols, and turns a Map or a Set into {}.
        T extends
            | bigint
            | symbol
            | ((...args: never[]) => unknown)
            | ReadonlyMap<unknown, unknown>
            | ReadonlySet<unknown>
            | WeakMap<object, unknown>
            | WeakSet<object>
        ? never
        : T extends object
          ? { [K in keyof T]: Json<T[K]> }
          : T;

/**
 * The constraint of `Socket`'s outgoing map `Out` (a self-reference: `Out extends
 * JsonMessageMap<Out>`): a {@link MessageMap} whose every `data` is {@link Json}.
 */
export type JsonMessageMap<M> = MessageMap & { [K in keyof M]: Json<M[K]> };

/** The `data` of request map entry `E`; `undefined` when it declares none. */
export type RequestData<E> = 'data' extends keyof E ? E['data' & keyof E] : undefined;

/**
 * The constraint of `Socket`'s request map `Req` (`Req extends JsonRequestMap<Req>`): every
 * entry is `{ data: D; reply: R }` (`data` may be optional or left out) with {@link Json} data.
 */
export type JsonRequestMap<M> = RequestMap & {
  [K in keyof M]: {
    /** What the request sends. */
    data?: Json<RequestData<M[K]>>;
    /** What the request resolves with. */
    reply: unknown;
  };
};

/** The arguments of `sendJson` after `type`: `data`, optional when `undefined` fits it. */
export type SendJsonArgs<D> = undefined extends D ? [data?: Json<D>] : [data: Json<D>];

/** The arguments of `request` after `type`: `data` (optional when `undefined` fits it), options. */
export type RequestArgs<D, S = undefined> = undefined extends D
  ? [data?: Json<D>, options?: RequestOptions<S>]
  : [data: Json<D>, options?: RequestOptions<S>];

/**
 * What a `'*'` handler receives: the envelope of any type of `In`, a union discriminated by
 * `type`, so checking `envelope.type === 'chat'` types `envelope.data` as the `chat` data
 * (`data` is required here, as it is for `onMessage(type)` handlers). `Envelope<string, any>`
 * for an untyped socket.
 */
export type EnvelopeOf<In> = 0 extends 1 & In
  ? // biome-ignore lint/suspicious/noExplicitAny: untyped data, as on an untyped socket
    Envelope<string, any>
  : {
      [K in keyof In & string]: Envelope<K, In[K]> & {
        /** The data of this `type`. */
        data: In[K];
      };
    }[keyof In & string];

/** Payload of `open` (also the event `onopen` receives). */
export interface OpenEvent {
  readonly type: 'open';
  /** Reconnect attempt that succeeded: 0 when the first try of `connect()` did. */
  readonly attempt: number;
  /** True when this is not the first connection of this socket. */
  readonly reconnected: boolean;
  /** The `Socket`. */
  readonly target: unknown;
  /** The `Socket`. */
  readonly currentTarget: unknown;
}

/** Payload of `close` (also the event `onclose` receives), shaped like the native `CloseEvent`. */
export interface CloseEvent extends CloseInfo {
  readonly type: 'close';
  /** Whether Lifeline will try again. */
  readonly willReconnect: boolean;
  /** The `Socket`. */
  readonly target: unknown;
  /** The `Socket`. */
  readonly currentTarget: unknown;
}

/** The native-shaped event `onerror` / `addEventListener('error')` receive. */
export interface ErrorEvent {
  readonly type: 'error';
  readonly error: Error;
  readonly message: string;
  /** The `Socket`. */
  readonly target: unknown;
  /** The `Socket`. */
  readonly currentTarget: unknown;
}

/** Payload of `reconnecting`: a retry is scheduled. */
export interface ReconnectingEvent {
  attempt: number;
  delay: number;
}

/** Payload of `giveup`: `maxAttempts` is exhausted. */
export interface GiveupEvent {
  attempts: number;
  lastClose: CloseInfo | undefined;
}

/** Payload of `drop`: a queued message was dropped. */
export interface DropEvent {
  data: SendData;
  reason: DropReason;
}

/** Payload of `wake`: a device wake was detected. */
export interface WakeEvent {
  sleptMs: number;
}

/** Every event of `socket.on(name, fn)` and its listener. */
export interface SocketEventMap {
  open: (event: OpenEvent) => void;
  message: (event: MessageEvent) => void;
  close: (event: CloseEvent) => void;
  error: (error: Error) => void;
  status: (status: Status, previous: Status) => void;
  reconnecting: (event: ReconnectingEvent) => void;
  giveup: (event: GiveupEvent) => void;
  drop: (event: DropEvent) => void;
  wake: (event: WakeEvent) => void;
  /** An incoming message failed its schema (`schemas`, `streamSchemas`) and was not delivered. */
  invalid: (event: InvalidEvent) => void;
  /** This tab's role changed (`share`, DESIGN §11). */
  role: (role: Role) => void;
  /** `persist`: what an earlier page, or a closed tab, left was taken over (also 0 and 0). */
  restored: (event: RestoredEvent) => void;
  /** `persist`: a request made before the reload was answered (or failed for good). */
  reply: (event: ReplyEvent) => void;
}

/** Payload of `restored` (`persist`, §10): what an earlier page or a closed tab left, queued again. */
export interface RestoredEvent {
  /** Plain messages queued again, in their order. */
  messages: number;
  /** Requests pending again, with their ids; their outcome comes as `reply` events. */
  requests: number;
}

/**
 * Payload of `reply` (`persist`): the outcome of a request made before a reload. `error` is a
 * `LifelineError`: `ERR_REMOTE` for the server's error reply, else why it was given up.
 */
export interface ReplyEvent {
  id: string;
  type: string;
  data?: unknown;
  error?: Error;
}

/** A sharing socket's part in its origin: it owns the connection, uses another tab's, or neither. */
export type Role = 'leader' | 'follower' | 'solo';

// ── Streams (DESIGN §8) ─────────────────────────────────────────────────────────────

/**
 * Maps each stream name, or a template-literal pattern such as `` `room:${string}` ``, to the
 * {@link MessageMap} of the messages that stream carries (a type alias or an interface).
 * @example
 * ```ts
 * interface Streams {
 *   [room: `room:${string}`]: { chat: { text: string }; joined: { user: string } };
 *   prices: { tick: { symbol: string; price: number } };
 * }
 * const socket = new Socket<In, Out, Req, Streams>(url);
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: see MessageMap
export type StreamMap = Record<string, any>;

/** Where a subscription stands in its stream: the history's `epoch` and the last `seq` seen. */
export interface StreamPosition {
  /** Opaque; changes when the server's history of the stream restarts. */
  readonly epoch: string;
  /** Decimal string without leading zeros; compare by length, then text. */
  readonly seq: string;
}

/** A stream message: `{"type":"chat","stream":"room:42","epoch":"e1","seq":"18","data":…}`. */
export interface StreamEnvelope<T extends string = string, D = unknown> extends Envelope<T, D> {
  /** The message's data. */
  data: D;
  /** The stream it belongs to. */
  stream: string;
  /** The epoch of the stream's history it belongs to. */
  epoch: string;
  /** Its position in that epoch. */
  seq: string;
}

/**
 * The stream envelope of any type of the message map `M`, a union discriminated by `type`:
 * checking `message.type` narrows `message.data`.
 */
export type StreamEnvelopeOf<M> = 0 extends 1 & M
  ? // biome-ignore lint/suspicious/noExplicitAny: untyped data, as on an untyped socket
    StreamEnvelope<string, any>
  : { [K in keyof M & string]: StreamEnvelope<K, M[K]> }[keyof M & string];

/**
 * Handler of `socket.subscribe(stream, fn)` and of a subscription's `message` event: `data`
 * is the union of the stream's data types; `message.type` narrows `message.data`.
 */
export type StreamHandler<M> = (
  data: StreamEnvelopeOf<M>['data'],
  message: StreamEnvelopeOf<M>,
) => void;

/** A subscription's status: waiting for the server's reply, receiving, or ended. */
export type SubscriptionStatus = 'subscribing' | 'live' | 'closed';

/** Options of `socket.subscribe()`. */
export interface SubscribeOptions {
  /**
   * Sent with every subscribe of the stream (the server's `authorize` sees it), JSON.
   * Handles of one stream share one subscription: the first handle's `data` is the one sent.
   */
  data?: unknown;
}

/** Payload of a subscription's `gap`: messages `from`…`to` were missed and are being fetched. */
export interface GapEvent {
  from: string;
  to: string;
}

/** Payload of a subscription's `resync`: the server could not replay; reload your state. */
export interface ResyncEvent {
  /** The server's position the subscription jumped to. */
  position: StreamPosition;
}

/** Every event of `subscription.on(name, fn)` and its listener. */
export interface SubscriptionEventMap<M> {
  message: StreamHandler<M>;
  resync: (event: ResyncEvent) => void;
  gap: (event: GapEvent) => void;
  status: (status: SubscriptionStatus, previous: SubscriptionStatus) => void;
  error: (error: Error) => void;
}

/** Handler of `socket.onMessage(type, fn)`. */
export type MessageHandler<D, T extends string = string> = (
  data: D,
  envelope: Envelope<T, D>,
) => void;
