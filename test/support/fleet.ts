// A fleet of @lifeline/server nodes on one Redis, each a child process (fleet-node-child.mjs)
// on its own fixed 127.0.0.1 port, so that a chaos test can restart a node gracefully (close →
// 1012) or SIGKILL it, and start a fresh process on the same port behind the same nginx. Warm
// spares (child-server.ts's sparePool) make a restart cost milliseconds.
import { fileURLToPath } from 'node:url';
import { requireBuilt } from './build';
import { type Child, sparePool, waitMessage } from './child-server';
import { freePort } from './nginx';

const SCRIPT = fileURLToPath(new URL('./fleet-node-child.mjs', import.meta.url));
const DIST = ['index.mjs', 'redis.mjs'].map((file) =>
  fileURLToPath(new URL(`../../packages/server/dist/${file}`, import.meta.url)),
);
const EXIT_TIMEOUT = 10_000;

export interface FleetOptions {
  nodes: number;
  redisUrl: string;
  keyPrefix: string;
  /** redisStore claimTtl of every node (ms). */
  claimTtl: number;
}

export interface Published {
  epoch: string;
  seq: string;
}

export interface FleetNode {
  readonly port: number;
  /** pid of the serving process (undefined while down). */
  readonly pid: number | undefined;
  /** Publishes in this node's process; rejects when it is down, dies, or the store refuses. */
  publish(stream: string, type: string, data?: unknown): Promise<Published>;
  /** Graceful: close() sends every client 1012, running requests finish; waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  /** A warm spare starts serving on this node's port. */
  start(): Promise<void>;
}

export interface Fleet {
  nodes: FleetNode[];
  /** Kills every process. */
  close(): Promise<void>;
}

interface Waiter {
  resolve(published: Published): void;
  reject(error: Error): void;
}

/** Starts `options.nodes` nodes on free ports; each listens once its store is ready. */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  requireBuilt(...DIST);
  const pool = sparePool(SCRIPT, options.nodes);
  let ref = 0;

  const makeNode = (port: number): FleetNode => {
    let current: { child: Child; waiting: Map<number, Waiter> } | undefined;
    const exit = async (child: Child) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, EXIT_TIMEOUT);
      });
      await Promise.race([child.exited, late]);
      clearTimeout(timer);
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill('SIGKILL');
        await child.exited;
      }
      pool.forget(child);
    };
    const node: FleetNode = {
      port,
      get pid() {
        return current?.child.process.pid;
      },
      publish(stream, type, data) {
        const serving = current;
        if (!serving) return Promise.reject(new Error(`node ${port} is down`));
        const id = ++ref;
        return new Promise((resolve, reject) => {
          serving.waiting.set(id, { resolve, reject });
          serving.child.process.send({ cmd: 'publish', ref: id, stream, type, data });
        });
      },
      async stop() {
        const serving = current;
        if (!serving) return;
        current = undefined;
        serving.child.process.send({ cmd: 'stop' });
        await exit(serving.child);
      },
      async kill() {
        const serving = current;
        if (!serving) return;
        current = undefined;
        serving.child.process.kill('SIGKILL');
        await exit(serving.child);
      },
      async start() {
        if (current) return;
        const child = await pool.take();
        const listening = waitMessage<number>(child.process, 'listening');
        const died = child.exited.then(() => {
          throw new Error('fleet node exited before it listened (see its stderr)');
        });
        for (const promise of [listening, died]) promise.catch(() => {});
        child.process.send({ cmd: 'listen', port, ...options });
        await Promise.race([listening, died]);
        const waiting = new Map<number, Waiter>();
        type Answer = {
          published?: Published & { ref: number };
          failed?: { ref: number; message: string };
        };
        child.process.on('message', ({ published, failed }: Answer) => {
          const ref = (published ?? failed)?.ref;
          if (ref === undefined) return;
          const waiter = waiting.get(ref);
          waiting.delete(ref);
          if (published) waiter?.resolve({ epoch: published.epoch, seq: published.seq });
          else waiter?.reject(new Error(failed!.message));
        });
        void child.exited.then(() => {
          for (const { reject } of waiting.values())
            reject(new Error(`node ${port} died before it answered`));
          waiting.clear();
        });
        current = { child, waiting };
      },
    };
    return node;
  };

  const ports: number[] = [];
  while (ports.length < options.nodes) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const nodes = ports.map(makeNode);
  const fleet: Fleet = {
    nodes,
    close: () => pool.close(),
  };
  try {
    for (const node of nodes) await node.start();
  } catch (error) {
    await fleet.close();
    throw error;
  }
  return fleet;
}

/**
 * Publishes `perSecond` messages a second in all, round robin over `streams`, keeping the rate
 * when the event loop is late (a late tick publishes what is owed). Failures are counted.
 */
export function startSteadyPublisher(
  publish: (stream: string, n: number) => Promise<unknown>,
  streams: string[],
  perSecond: number,
) {
  const published = new Map(streams.map((stream) => [stream, 0]));
  const inFlight = new Set<Promise<unknown>>();
  const start = performance.now();
  let sent = 0;
  let failed = 0;
  const timer = setInterval(() => {
    const owed = Math.floor(((performance.now() - start) * perSecond) / 1000) - sent;
    for (let k = 0; k < owed; k++) {
      const stream = streams[sent++ % streams.length]!;
      const p = publish(stream, sent).then(
        () => void published.set(stream, published.get(stream)! + 1),
        () => void failed++,
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
  }, 10);
  return {
    published,
    get failed() {
      return failed;
    },
    /** Messages per second actually attempted since the start. */
    rate: () => Math.round((sent * 1000) / (performance.now() - start)),
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
    },
  };
}
