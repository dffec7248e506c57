// Every library the benchmarks compare, native baseline first.
import { lifeline, lifelineHeartbeat, lifelineReconnecting } from './lifeline';
import { native } from './native';
import { partysocket } from './partysocket';
import { reconnectingWebsocket } from './reconnecting-websocket';
import { robustWebsocket } from './robust-websocket';
import { sockette } from './sockette';
import type { LibAdapter } from './types';
import { websocketTs } from './websocket-ts';

export type { BenchClient, ClientHandlers, LibAdapter } from './types';

/** Adapters by name, native first so it runs first in every interleaved round. */
export const adapters: readonly LibAdapter[] = [
  native,
  lifeline,
  reconnectingWebsocket,
  partysocket,
  sockette,
  websocketTs,
  robustWebsocket,
];

/**
 * Lifeline configured otherwise, measured per message only, each listed right after `lifeline`:
 * the heartbeat's per-frame cost, and the smaller entry's.
 */
export const variants: readonly LibAdapter[] = [lifelineHeartbeat, lifelineReconnecting];
