// Public event payloads and the message maps that type envelopes end to end.
import type { Envelope } from './envelope';
import type { Status } from './machine';
import type { CloseInfo } from './policy';
import type { DropReason, SendData } from './queue';

/** The default of the message maps: any type, any data. */
// biome-ignore lint/suspicious/noExplicitAny: an untyped socket accepts any message
export type Untyped = any;

/** Maps each incoming or outgoing message `type` to its `data`. */
export type MessageMap = Record<string, unknown>;

/** Maps each request `type` to the `data` it sends and the `reply` data it resolves with. */
export type RequestMap = Record<string, { data: unknown; reply: unknown }>;

/** Payload of `open` (also the event `onopen` receives). */
export interface OpenEvent {
  readonly type: 'open';
  /** Reconnect attempt that succeeded: 0 when the first try of `connect()` did. */
  readonly attempt: number;
  /** True when this is not the first connection of this socket. */
  readonly reconnected: boolean;
  readonly target: unknown;
}

/** Payload of `close` (also the event `onclose` receives), shaped like the native `CloseEvent`. */
export interface CloseEvent extends CloseInfo {
  readonly type: 'close';
  /** Whether Lifeline will try again. */
  readonly willReconnect: boolean;
  readonly target: unknown;
}

/** The native-shaped event `onerror` / `addEventListener('error')` receive. */
export interface ErrorEvent {
  readonly type: 'error';
  readonly error: Error;
  readonly message: string;
  readonly target: unknown;
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
}

/** Handler of `socket.onMessage(type, fn)`. */
export type MessageHandler<D, T extends string = string> = (
  data: D,
  envelope: Envelope<T, D>,
) => void;
