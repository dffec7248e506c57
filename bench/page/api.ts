// The functions the bundled page exposes as `globalThis.lifelineBench`, typed for the Node side.
import type { Replayer } from './replay';
import type { StreamCostRoute } from './stream-cost';

/** Result of one throughput run inside the page. */
export interface ThroughputSample {
  ms: number;
  messages: number;
  bytes: number;
}

/** One replay, timed in the page from the reconnect's `open` to the last delivery. */
export interface ReplaySample {
  ms: number;
  messages: number;
}

/** Open and connect-attempt timestamps (`Date.now()`) recorded by a fleet of clients. */
export interface FleetState {
  /** Per client, the time of every `open`. */
  opens: number[][];
  /** Every transport constructed (one per connection attempt). */
  attempts: number[];
}

export interface BenchPageApi {
  /** Names of the libraries bundled into the page (Lifeline only when core is built). */
  libs(): string[];
  /** Lifeline variants measured per message only (empty when core is not built). */
  variants(): string[];
  /**
   * Nanoseconds per message received (`'receive'`) or sent (`'send'`) over the fake transport,
   * by a library or a variant.
   */
  perMessage(lib: string, direction: 'receive' | 'send', count: number): Promise<number>;
  /** Nanoseconds per envelope decoded and routed: Lifeline `onMessage` or hand-written. */
  routing(router: 'lifeline' | 'hand-written', count: number): Promise<number>;
  /**
   * Nanoseconds per message delivered to the app by a `Socket` over the fake transport: a
   * plain `onMessage` route, or a stream subscription (`seq` increasing); or the same frames
   * handled by hand, without Lifeline.
   */
  streamCost(route: StreamCostRoute, count: number): Promise<number>;
  /** Subscribes a client (`lifeline` or the hand-written baseline) to `stream`, then takes it down. */
  replayPrepare(replayer: Replayer, url: string, stream: string): Promise<void>;
  /** Reconnects the client prepared for `stream` and times the replay of `count` up to `head`. */
  replayRun(stream: string, count: number, head: string, timeoutMs: number): Promise<ReplaySample>;
  /** Sends `count` messages of `size` bytes to an echo server and waits for every echo. */
  throughput(lib: string, url: string, count: number, size: number): Promise<ThroughputSample>;
  /** Opens `count` more clients of `lib` with its defaults, counting every attempt. */
  spawnFleet(lib: string, url: string, count: number): void;
  fleetState(lib: string): FleetState;
  /** Resolves once every client of `lib` has opened at least `opens` times. */
  waitFleetOpen(lib: string, opens: number, timeoutMs: number): Promise<void>;
  /** Closes every client of `lib` and forgets them, so the GC can take them. */
  closeFleet(lib: string): void;
}

declare global {
  var lifelineBench: BenchPageApi;
}
