// What the stream chaos tests share: an in-process @lifeline/server that can drop its clients,
// a steady publisher, and a recorder of what each subscription delivered to the app, with the
// tally (lost, duplicated, out of order) that the chaos report rows are made of.
import type { Socket, StreamPosition, Subscription } from '@lifeline/core';
import {
  type Context,
  createServer,
  type LifelineServer,
  type ServerOptions,
} from '@lifeline/server';
import { sleep, waitUntil } from './wait';

export interface LocalStreamServer {
  server: LifelineServer;
  port: number;
  url(path?: string): string;
  /** Open connections, by their context. */
  contexts: Set<Context>;
  /** Terminates every client connection (no close frame: the client sees 1006). */
  dropAll(): number;
  close(): Promise<void>;
}

/** A @lifeline/server listening on a free 127.0.0.1 port. */
export async function startLocalServer(
  options: Omit<ServerOptions, 'port' | 'server'> = {},
): Promise<LocalStreamServer> {
  const server = createServer({ port: 0, ...options });
  await server.ready();
  const contexts = new Set<Context>();
  server.on('connection', (ctx) => contexts.add(ctx));
  server.on('disconnect', (ctx) => contexts.delete(ctx));
  const port = server.port!;
  return {
    server,
    port,
    contexts,
    url: (path = '/ws') => `ws://127.0.0.1:${port}${path}`,
    dropAll() {
      const dropping = [...contexts];
      // Forgotten now, not at their 'disconnect': a test waiting for N connections then
      // waits for new ones.
      contexts.clear();
      for (const ctx of dropping) ctx.socket.terminate();
      return dropping.length;
    },
    close: () => server.close(),
  };
}

export interface Publisher {
  /** Messages published (acknowledged) per stream. */
  readonly published: Map<string, number>;
  /** Publishes that failed (the server was down). */
  readonly failed: number;
  /** Stops publishing and waits for the publishes in flight. */
  stop(): Promise<void>;
}

/**
 * Every `everyMs`, publishes one message to each stream with `publish` (data: a running count
 * per stream). Publishes that reject are counted, not thrown.
 */
export function startPublisher(
  publish: (stream: string, n: number) => Promise<unknown>,
  streams: string[],
  everyMs: number,
): Publisher {
  const published = new Map(streams.map((stream) => [stream, 0]));
  const inFlight = new Set<Promise<unknown>>();
  let attempts = 0;
  let failed = 0;
  const timer = setInterval(() => {
    for (const stream of streams) {
      const p = publish(stream, ++attempts).then(
        () => void published.set(stream, published.get(stream)! + 1),
        () => void failed++,
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
  }, everyMs);
  return {
    published,
    get failed() {
      return failed;
    },
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
    },
  };
}

export interface Recorded {
  label: string;
  sub: Subscription;
  /** `seq` of every message delivered to the handler, in delivery order. */
  seqs: string[];
  /** `epoch` of each delivered message (parallel to `seqs`). */
  epochs: string[];
  /** `performance.now()` of each delivery (parallel to `seqs`). */
  at: number[];
  resyncs: StreamPosition[];
  gaps: Array<{ from: string; to: string }>;
}

/** Subscribes to `stream` and records everything the app sees. */
export function record(socket: Socket, stream: string, label = stream): Recorded {
  const recorded: Recorded = {
    label,
    sub: undefined as never,
    seqs: [],
    epochs: [],
    at: [],
    resyncs: [],
    gaps: [],
  };
  recorded.sub = socket.subscribe(stream, (_data, message) => {
    recorded.seqs.push(message.seq);
    recorded.epochs.push(message.epoch);
    recorded.at.push(performance.now());
  });
  recorded.sub.on('resync', ({ position }) => recorded.resyncs.push(position));
  recorded.sub.on('gap', (gap) => recorded.gaps.push(gap));
  return recorded;
}

export interface Tally {
  expected: number;
  received: number;
  /** Expected seqs never delivered. */
  lost: number;
  /** Deliveries beyond the first of a seq. */
  duplicated: number;
  /** Deliveries not greater than the one before. */
  outOfOrder: number;
  /** Delivered seqs outside the expected range. */
  unexpected: number;
}

/** Compares delivered seqs with every seq in (`after`, `upTo`] (small test numbers). */
export function tally(seqs: string[], after: number, upTo: number): Tally {
  const numbers = seqs.map(Number);
  const seen = new Set(numbers);
  let lost = 0;
  for (let seq = after + 1; seq <= upTo; seq++) if (!seen.has(seq)) lost++;
  return {
    expected: Math.max(0, upTo - after),
    received: numbers.length,
    lost,
    duplicated: numbers.length - seen.size,
    outOfOrder: numbers.filter((n, i) => i > 0 && n <= numbers[i - 1]!).length,
    unexpected: [...seen].filter((n) => n <= after || n > upTo).length,
  };
}

/** Sums tallies (for one report row over several subscriptions). */
export function sum(tallies: Tally[]): Tally {
  const total: Tally = {
    expected: 0,
    received: 0,
    lost: 0,
    duplicated: 0,
    outOfOrder: 0,
    unexpected: 0,
  };
  for (const t of tallies)
    for (const key of Object.keys(total) as Array<keyof Tally>) total[key] += t[key];
  return total;
}

/** Waits (bounded) until every recorded subscription's position is `head(stream)`. */
export async function waitCaughtUp(
  all: Recorded[],
  head: (stream: string) => string,
  timeoutMs: number,
): Promise<void> {
  const behind = () => all.filter((r) => r.sub.position?.seq !== head(r.sub.stream));
  await waitUntil(() => behind().length === 0, timeoutMs, 'every subscription at the head').catch(
    (error: Error) => {
      const detail = behind()
        .map(
          (r) => `${r.label} at ${r.sub.position?.seq} (${r.sub.status}) vs ${head(r.sub.stream)}`,
        )
        .join('; ');
      throw new Error(`${error.message}: ${detail}`);
    },
  );
}

/** Waits (bounded) until every subscription is live. */
export function waitLive(all: Recorded[], timeoutMs: number, what: string): Promise<void> {
  return waitUntil(() => all.every((r) => r.sub.status === 'live'), timeoutMs, what);
}

/** A random integer in [min, max]. */
export const between = (min: number, max: number) =>
  min + Math.floor(Math.random() * (max - min + 1));

export { sleep };
