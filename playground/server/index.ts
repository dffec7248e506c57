// The playground dev server as a reusable module (DESIGN §8: a seam for `@lifeline/testing`).
export { computeAccept, WEBSOCKET_GUID } from './accept';
export type { ConnectionStats } from './connection';
export { type DevServer, type DevServerOptions, startDevServer } from './dev-server';
export { FAULT_KINDS, FAULT_LIMITS, type Fault, parseFault } from './faults';
export { FLOOD_HIGH_WATER } from './flood';
export type { HandshakeInfo } from './handshake';
export { createHostCheck, ownOrigins, parseOriginList } from './origin';
export { answerEvent, PlaygroundError, sum } from './protocol';
export { TICKS_STREAM } from './ticks';
