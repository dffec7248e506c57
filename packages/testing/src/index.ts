// @lifeline/testing: a fake Lifeline server for tests. No network, no real timers.
export type { ReceivedFrame } from './connection';
export { TestConnection } from './connection';
export type { FakeEvent } from './fake-websocket';
export { FakeWebSocket } from './fake-websocket';
export type { Authorize, ReplyHandler, RequestContext } from './protocol';
export { createTestServer, TestServer } from './server';
export type {
  CloseRecord,
  Envelope,
  FrameData,
  MessageFilter,
  MessageMap,
  Position,
  ReplyOf,
  RequestDataOf,
  RequestMap,
  RestartOptions,
  SentData,
  StreamMap,
  TestServerEvents,
  TestServerOptions,
} from './types';
