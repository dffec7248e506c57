// Public entry of @lifeline/core. Importing it touches no browser global.

export { backoffDelay, type Jitter } from './backoff';
export { decodeEnvelope, type Envelope, encodeEnvelope, isProtocolType } from './envelope';
export { LifelineError, type LifelineErrorCode, type RemoteError } from './errors';
export { type LogRecord, redact } from './log';
export type { Status } from './machine';
export type {
  Codec,
  HeartbeatOptions,
  OverflowMode,
  QueueOptions,
  ReconnectOptions,
  SocketOptions,
  WebSocketConstructor,
  WebSocketLike,
} from './options';
export { type CloseInfo, defaultShouldReconnect } from './policy';
export type { DropReason, SendData } from './queue';
export type { RequestOptions } from './requests';
export { createSocket, Socket } from './socket';
export type {
  CloseEvent,
  DropEvent,
  EnvelopeOf,
  ErrorEvent,
  GiveupEvent,
  Json,
  JsonMessageMap,
  JsonRequestMap,
  MessageHandler,
  MessageMap,
  OpenEvent,
  ReconnectingEvent,
  RequestArgs,
  RequestData,
  RequestMap,
  SendJsonArgs,
  SocketEventMap,
  Untyped,
  WakeEvent,
} from './types';
export type { UrlInput } from './url';
