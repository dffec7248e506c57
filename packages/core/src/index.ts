// Public entry of @lifeline/core. Importing it touches no browser global.
//
// Where things are, layer by layer: socket.ts (Socket: stream subscriptions, and the `share`
// hook) extends persist/durable-socket.ts (the `persist` outbox) which extends
// messaging-socket.ts (MessagingSocket: envelopes, requests, heartbeat), which extends
// reconnecting-socket.ts (ReconnectingSocket, the smaller entry: send, the queue flush,
// close/connect/reconnect/dispose), which extends lifecycle.ts (attempts, open, close, retry;
// the status machine's table is machine.ts), which extends native-surface.ts (constants,
// on<event>, addEventListener). Policies without state: backoff.ts, policy.ts (close codes),
// envelope.ts (the JSON codec), options.ts / messaging-options.ts (defaults, validation).
// Streams (DESIGN §8): streams.ts (a socket's subscriptions), stream-state.ts (one stream's
// position, gaps and resyncs), subscription.ts (the handle), seq.ts (seq arithmetic).
// Surviving reloads (DESIGN §10): persist/ (store.ts: the IndexedDB outbox; positions.ts:
// stream positions in sessionStorage; options.ts, record.ts).
// One connection for all tabs (DESIGN §11): share/ (session.ts: election and this tab's
// transport to the leader; hub.ts: the leader's one real WebSocket; options.ts, protocol.ts,
// types.ts).
// Validation (DESIGN §12): validation/ (inbound.ts: what is checked and what an invalid
// message does; in-order.ts: arrival order around async schemas; check.ts: one schema run;
// schemas.ts: the options; standard-schema.ts: the Standard Schema v1 types).

export { backoffDelay, type Jitter } from './backoff';
export { decodeEnvelope, type Envelope, encodeEnvelope, isProtocolType } from './envelope';
export { LifelineError, type LifelineErrorCode, type RemoteError } from './errors';
export type { RetryInfo } from './lifecycle';
export { type LogRecord, redact } from './log';
export type { Status } from './machine';
export type { Codec, HeartbeatOptions, SocketOptions } from './messaging-options';
export { MessagingSocket } from './messaging-socket';
export type {
  OverflowMode,
  QueueOptions,
  ReconnectingSocketOptions,
  ReconnectOptions,
  WebSocketConstructor,
  WebSocketLike,
} from './options';
export type { PersistOptions } from './persist/options';
export { type CloseInfo, defaultShouldReconnect } from './policy';
export type { DropReason, SendData } from './queue';
export { ReconnectingSocket } from './reconnecting-socket';
export type { RequestOptions } from './requests';
export type { ShareOptions } from './share/options';
export { createSocket, Socket } from './socket';
export { Subscription, type SubscriptionCallbacks } from './subscription';
export type {
  CloseEvent,
  DropEvent,
  EnvelopeOf,
  ErrorEvent,
  GapEvent,
  GiveupEvent,
  Json,
  JsonMessageMap,
  JsonRequestMap,
  MessageHandler,
  MessageMap,
  OpenEvent,
  ReconnectingEvent,
  ReplyEvent,
  RequestArgs,
  RequestData,
  RequestMap,
  RestoredEvent,
  ResyncEvent,
  Role,
  SendJsonArgs,
  SocketEventMap,
  StreamEnvelope,
  StreamEnvelopeOf,
  StreamHandler,
  StreamMap,
  StreamPosition,
  SubscribeOptions,
  SubscriptionEventMap,
  SubscriptionStatus,
  Untyped,
  WakeEvent,
} from './types';
export type { UrlInput } from './url';
export type { InvalidMessageError, Issues } from './validation/check';
export type { StandardSchemaV1 } from './validation/standard-schema';
export type {
  InferMessages,
  InferStreams,
  InvalidEvent,
  MessageSchemas,
  ReplyOf,
  ReplySchema,
  StreamPattern,
  StreamSchemas,
} from './validation/types';
