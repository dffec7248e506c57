// One system of the fleet benchmark: two server nodes (fleet-node.ts) on one Redis and a client
// process (fleet-clients.ts) with half of its clients on each node. It measures server heap per
// idle connection while connecting, then times deliveries on request.
import {
  type FleetKind,
  type FromClients,
  type FromNode,
  IpcChild,
  monotonicMs,
  type ToClients,
  type ToNode,
} from './fleet-ipc';

const STARTUP_MS = 60_000;
const CONNECT_MS = 180_000;
const DELIVER_SLACK_MS = 120_000;

export interface HeapSample {
  /** Connections opened between the two heap readings, over both nodes. */
  connections: number;
  /** Heap used on both nodes together after a forced GC, before and after them. */
  before: number;
  after: number;
}

export interface Delivery {
  p50: number;
  p99: number;
  /** From the first publish to the last message reaching the last client. */
  ms: number;
  /** CPU time of the client process over `ms`, percent of one core. */
  clientCpu: number;
  /** CPU time both server nodes used, ms (unlike wall time, barely moved by other load). */
  serverCpuMs: number;
}

export class FleetSystem {
  private constructor(
    readonly kind: FleetKind,
    private readonly nodes: IpcChild<FromNode, ToNode>[],
    private readonly clients: IpcChild<FromClients, ToClients>,
    readonly heap: HeapSample,
  ) {}

  /**
   * Starts the nodes and the client process, connects `warmPerNode` clients to each node (so
   * code that runs per connection is compiled and allocated before the baseline), reads the
   * heaps, connects up to `perNode` per node and reads them again. `track` gets every child at
   * once, so the caller can stop them all even when starting fails half-way.
   */
  static async start(
    kind: FleetKind,
    redisUrl: string,
    stream: string,
    counts: { perNode: number; warmPerNode: number },
    track: (child: { stop(): Promise<void> }) => void,
  ): Promise<FleetSystem> {
    const nodes = [0, 1].map((n) => {
      const node = new IpcChild<FromNode, ToNode>(
        `${kind} node ${n}`,
        'bench/harness/fleet-node.ts',
        [kind, redisUrl, stream],
        ['--expose-gc'],
      );
      track(node);
      return node;
    });
    const ports = await Promise.all(
      nodes.map((node) => node.next('listening', STARTUP_MS, 'listening')),
    );
    const urls = ports.map(({ port }) =>
      kind === 'lifeline' ? `ws://127.0.0.1:${port}/ws` : `http://127.0.0.1:${port}`,
    );
    const clients = new IpcChild<FromClients, ToClients>(
      `${kind} clients`,
      'bench/harness/fleet-clients.ts',
      [kind, stream, urls.join(',')],
    );
    track(clients);
    const connect = async (perNode: number) => {
      clients.tell({ type: 'connect', perNode });
      return (await clients.next('connected', CONNECT_MS, `${perNode} clients per node`)).clients;
    };
    const heaps = async () => {
      for (const node of nodes) node.tell({ type: 'heap' });
      const sizes = await Promise.all(nodes.map((node) => node.next('heap', 30_000, 'heap')));
      return sizes.reduce((sum, { bytes }) => sum + bytes, 0);
    };
    const warm = await connect(counts.warmPerNode);
    const before = await heaps();
    const all = await connect(counts.perNode);
    const after = await heaps();
    return new FleetSystem(kind, nodes, clients, { connections: all - warm, before, after });
  }

  /**
   * Publishes `messages` through the two nodes (half each, `perSecond` in all, or all at once
   * when 0) and waits until every client has every one. Throws if any is lost or duplicated.
   */
  async deliver(messages: number, perSecond: number): Promise<Delivery> {
    const { clients, nodes } = this;
    clients.tell({ type: 'arm', messages });
    await clients.next('armed', 10_000, 'arming');
    const budget = (perSecond ? (messages / perSecond) * 1000 : 0) + DELIVER_SLACK_MS;
    const cpuBefore = await this.serverCpuMs();
    const done = clients.next('done', budget, `${messages} messages to reach every client`);
    done.catch(() => {}); // awaited below; a publish failure must not leave it unhandled
    const start = monotonicMs();
    const shares = [Math.ceil(messages / 2), Math.floor(messages / 2)];
    nodes.forEach((node, n) => {
      node.tell({ type: 'publish', messages: shares[n]!, perSecond: perSecond / 2 });
    });
    const published = await Promise.all(
      nodes.map((node) => node.next('published', budget, 'publishing')),
    );
    const failed = published.reduce((sum, p) => sum + p.failed, 0);
    if (failed > 0) throw new Error(`${this.kind}: ${failed} of ${messages} publishes failed`);
    const result = await done;
    if (result.fewest !== messages || result.most !== messages) {
      throw new Error(
        `${this.kind}: clients got ${result.fewest}…${result.most} of ${messages} messages`,
      );
    }
    const ms = result.at - start;
    return {
      p50: result.p50,
      p99: result.p99,
      ms,
      clientCpu: (result.cpuMs / ms) * 100,
      serverCpuMs: (await this.serverCpuMs()) - cpuBefore,
    };
  }

  /** CPU time used so far by both nodes together, ms. */
  private async serverCpuMs(): Promise<number> {
    for (const node of this.nodes) node.tell({ type: 'cpu' });
    const used = await Promise.all(this.nodes.map((node) => node.next('cpu', 10_000, 'cpu time')));
    return used.reduce((sum, { ms }) => sum + ms, 0);
  }
}
