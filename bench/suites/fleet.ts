// Issue 17: a fleet of two server nodes on one Redis, @lifeline/server (redisStore) side by side
// with socket.io 4.8 (@socket.io/redis-streams-adapter). Every process is its own: Redis, two
// nodes per system, and one client process per system (fleet-system.ts), so the nodes get the
// CPU. Measured: publish → deliver latency at a steady rate, delivered messages/s for a burst,
// and server heap per idle connection.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { findRedis, type RedisServer, startRedis } from '../../test/support/redis';
import type { BenchConfig } from '../config';
import type { FleetKind } from '../harness/fleet-ipc';
import { type Delivery, FleetSystem } from '../harness/fleet-system';
import { interleave } from '../harness/rounds';
import type { ExtraSection } from '../results';
import { fmt, fmtRatio, median, ratio } from '../stats';
import type { ExtraSuite } from './extras';

const STREAM = 'fleet';

interface Sizes {
  /** Clients on each of the two nodes. */
  perNode: number;
  /** Of those, connected before the heap baseline. */
  warmPerNode: number;
  /** Messages of the steady phase, published at `perSecond` in all. */
  steady: number;
  perSecond: number;
  /** Messages of the burst, all published at once. */
  burst: number;
}

// The steady rate stays well below what a fleet carries in a burst (1,000 clients: some hundred
// messages/s on 2 cores), so its percentiles time the path, not a queue behind it.
const SIZES: Record<BenchConfig['name'], Sizes> = {
  full: { perNode: 500, warmPerNode: 20, steady: 100, perSecond: 25, burst: 300 },
  quick: { perNode: 10, warmPerNode: 2, steady: 20, perSecond: 40, burst: 50 },
};

const SYSTEMS: ReadonlyArray<{ name: string; kind: FleetKind }> = [
  { name: '@lifeline/server + redisStore', kind: 'lifeline' },
  { name: 'socket.io + redis-streams-adapter', kind: 'socket.io' },
];
const BASELINE = SYSTEMS[1]!.name;

interface Round {
  steady: Delivery;
  burst: Delivery;
}

const ms = (value: number) => fmt(value, value < 10 ? 2 : 1);

function redisVersion(): string {
  const out = spawnSync(findRedis(), ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return /v=(\S+)/.exec(out)?.[1] ?? 'unknown';
}

function deliverySection(
  sizes: Sizes,
  config: BenchConfig,
  rounds: Map<string, Round[]>,
): ExtraSection {
  const clients = sizes.perNode * 2;
  const rates = (of: Round[]) => of.map(({ burst }) => (sizes.burst * 1000) / burst.ms);
  const rate = (of: Round[]) => median(rates(of));
  const base = rate(rounds.get(BASELINE)!);
  const rows = [...rounds].map(([name, of]) => {
    const perSecond = rate(of);
    return [
      name,
      fmt(clients),
      ms(median(of.map(({ steady }) => steady.p50))),
      ms(median(of.map(({ steady }) => steady.p99))),
      fmt(perSecond),
      fmt(perSecond * clients),
      fmtRatio(ratio(perSecond, base)),
      fmt(median(of.map(({ burst }) => (burst.serverCpuMs * 1000) / (sizes.burst * clients))), 2),
      rates(of)
        .map((value) => fmt(value))
        .join(' '),
    ];
  });
  const cpu = cpus();
  return {
    suite: 'fleet',
    title: 'Fleet: two server nodes on Redis, publish → deliver',
    headers: [
      'server',
      ' clients',
      ' p50 ms',
      ' p99 ms',
      ' burst messages/s',
      ' deliveries/s',
      ' vs socket.io',
      ' server CPU µs/delivery',
      ' samples (burst messages/s)',
    ],
    rows,
    method:
      `Two server nodes per system, each a Node process of its own, on one Redis ${redisVersion()} ` +
      `(Debian redis-server, no persistence) on 127.0.0.1; ${fmt(clients)} Node clients in one ` +
      `more process, ${fmt(sizes.perNode)} connected to each node, subscribed to one stream ` +
      '(Lifeline: raw `ws` clients speaking the protocol; socket.io: socket.io-client 4.8, ' +
      `WebSocket transport, in one room). Pings off on both. Machine: ${cpu.length} × ` +
      `${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}. ` +
      `**Latency** (p50, p99): ${fmt(sizes.steady)} messages published at ${sizes.perSecond}/s ` +
      'in all, half through each node; the publishing node stamps each message with the ' +
      "host's monotonic clock (`process.hrtime`, CLOCK_MONOTONIC: one clock for every process " +
      'on the machine, immune to wall-clock steps) and the client process subtracts it on ' +
      'receipt, after parsing the frame; percentiles over every delivery. A Lifeline publish ' +
      'reaches every node, its own included, through Redis (append script, pub/sub); a ' +
      "socket.io broadcast goes to the node's own clients at once and to the other node " +
      'through the Redis stream (XADD, blocking XREAD). **Burst**: ' +
      `${fmt(sizes.burst)} messages published at once (half through each node, pipelined), ` +
      'timed from the first publish to the last message at the last client; deliveries/s = ' +
      'messages/s × clients; server CPU per delivery is the CPU time both nodes used for the ' +
      'burst (`process.cpuUsage`) over its deliveries: unlike the rates, it barely moves when ' +
      'other work shares the machine. Every client must get every ' +
      `message exactly once or the run fails. Median of ${config.rounds} interleaved round(s)` +
      `${config.warmup ? ' after a warm-up round' : ''}.`,
  };
}

function heapSection(systems: FleetSystem[]): ExtraSection {
  const perConnection = (system: FleetSystem) =>
    (system.heap.after - system.heap.before) / system.heap.connections;
  const base = perConnection(systems.find((system) => system.kind === 'socket.io')!);
  return {
    suite: 'fleet',
    title: 'Fleet: server heap per idle connection',
    headers: [
      'server',
      ' connections',
      ' heap before',
      ' heap after',
      ' bytes/connection',
      ' vs socket.io',
    ],
    rows: systems.map((system) => [
      SYSTEMS.find(({ kind }) => kind === system.kind)!.name,
      fmt(system.heap.connections),
      `${fmt(system.heap.before / 2 ** 20, 1)} MiB`,
      `${fmt(system.heap.after / 2 ** 20, 1)} MiB`,
      fmt(perConnection(system)),
      fmtRatio(ratio(perConnection(system), base)),
    ]),
    method:
      'The same two nodes per system, run with `--expose-gc`, before any message was published. ' +
      'Heap used (`process.memoryUsage().heapUsed`, summed over both nodes) after three forced ' +
      'full GCs, read once a few clients per node were connected (so per-connection code is ' +
      'compiled and module state allocated) and again after the rest connected and subscribed ' +
      '(joined the room); the difference divided by the connections in between. The store or ' +
      "adapter, the `ws` or engine.io socket and the server's per-connection state are all in it; " +
      "kernel socket buffers are not (they are not on V8's heap).",
  };
}

export const fleetSuite: ExtraSuite = {
  name: 'fleet',
  browser: false,
  async run({ config, log }) {
    const sizes = SIZES[config.name];
    const children: Array<{ stop(): Promise<void> }> = [];
    let redis: RedisServer | undefined;
    try {
      redis = await startRedis();
      const redisUrl = redis.url;
      log(`  starting 2 nodes per system, connecting ${sizes.perNode * 2} clients to each`);
      // Both systems at once; settled, not raced, so no start is still spawning children
      // when `finally` stops them.
      const started = await Promise.allSettled(
        SYSTEMS.map(({ kind }) =>
          FleetSystem.start(kind, redisUrl, STREAM, sizes, (child) => children.push(child)),
        ),
      );
      const failed = started.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      const systems = new Map(
        started.map((result, i) => [
          SYSTEMS[i]!.name,
          (result as PromiseFulfilledResult<FleetSystem>).value,
        ]),
      );
      const rounds = new Map<string, Round[]>(SYSTEMS.map(({ name }) => [name, []]));
      await interleave(config, [...systems.keys()], async (name, recorded) => {
        const system = systems.get(name)!;
        const steady = await system.deliver(sizes.steady, sizes.perSecond);
        const burst = await system.deliver(sizes.burst, 0);
        log(
          `  ${name}${recorded ? '' : ' (warm-up)'}: p50 ${ms(steady.p50)} ms, p99 ` +
            `${ms(steady.p99)} ms; burst ${fmt((sizes.burst * 1000) / burst.ms)} msg/s ` +
            `(clients' CPU ${fmt(burst.clientCpu)} %, nodes' CPU ${fmt(burst.serverCpuMs)} ms)`,
        );
        if (recorded) rounds.get(name)!.push({ steady, burst });
        return burst.ms;
      });
      return [deliverySection(sizes, config, rounds), heapSection([...systems.values()])];
    } finally {
      await Promise.all(children.map((child) => child.stop()));
      await redis?.close();
    }
  },
};
