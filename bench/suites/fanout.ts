// Server fan-out in Node: messages/s one server sends to `fanoutClients` connected clients,
// `@lifeline/server` (a stream) side by side with socket.io 4.8 (a room), in interleaved rounds.
// The server runs in this process; each server's clients run in a child process of their own
// (fanout-clients.ts), so on a 2-core machine the server has a core to itself while its clients
// work on the other, and the idle clients of the other server cost nothing.
import { type ChildProcess, fork } from 'node:child_process';
import type { BenchConfig } from '../config';
import {
  type FanoutClientKind,
  type FromClients,
  type ToClients,
  wallClock,
} from '../harness/fanout-protocol';
import { fromRoot } from '../harness/paths';
import { interleave } from '../harness/rounds';
import { type StreamServer, startLifeline, startSocketIo } from '../harness/stream-servers';
import type { FanoutRow } from '../results';
import { median, ratio } from '../stats';

const STREAM = 'fanout';

/** A child process holding the clients of one server. */
class ClientFleet {
  private readonly child: ChildProcess;
  private readonly waiting: Array<(message: FromClients) => void> = [];
  private exitCode: number | null = null;

  constructor(kind: FanoutClientKind, url: string, clients: number) {
    this.child = fork(
      fromRoot('bench/harness/fanout-clients.ts'),
      [kind, url, String(clients), STREAM],
      {
        execArgv: ['--import', 'tsx'],
        cwd: fromRoot(''),
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    this.child.on('message', (message: FromClients) => this.waiting.shift()?.(message));
    this.child.on('exit', (code) => {
      this.exitCode = code ?? -1;
    });
  }

  /** The child's next message, which must be of `type`. */
  async next<T extends FromClients['type']>(type: T, timeoutMs: number, what: string) {
    let timer: NodeJS.Timeout | undefined;
    const message = await new Promise<FromClients>((resolve, reject) => {
      this.waiting.push(resolve);
      timer = setTimeout(() => {
        reject(
          new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (exit ${this.exitCode})`),
        );
      }, timeoutMs);
    }).finally(() => clearTimeout(timer));
    if (message.type === 'failed') throw new Error(`${what}: ${message.message}`);
    if (message.type !== type) throw new Error(`${what}: got ${message.type}`);
    return message as Extract<FromClients, { type: T }>;
  }

  tell(message: ToClients): void {
    this.child.send(message);
  }

  /** Asks the child to close its clients and exit; kills it if it does not within a second. */
  async stop(): Promise<void> {
    if (this.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    if (this.child.connected) this.tell({ type: 'exit' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 1000);
    await exited;
    clearTimeout(timer);
  }
}

interface Sample {
  rate: number;
  serverCpu: number;
  clientCpu: number;
}

/** One sample: arm the clients, publish `messages`, wait until every client has every one. */
async function sample(
  name: string,
  server: StreamServer,
  fleet: ClientFleet,
  messages: number,
): Promise<Sample> {
  fleet.tell({ type: 'arm', messages });
  await fleet.next('armed', 10_000, `the ${name} clients to arm`);
  const done = fleet.next('done', 120_000, `${messages} ${name} messages to reach every client`);
  const cpu = process.cpuUsage();
  const start = wallClock();
  await server.publish(STREAM, messages);
  const result = await done;
  const used = process.cpuUsage(cpu);
  const ms = result.at - start;
  if (result.fewest !== messages || result.most !== messages)
    throw new Error(`fan-out: clients got ${result.fewest}…${result.most} of ${messages} messages`);
  return {
    rate: messages / (ms / 1000),
    serverCpu: ((used.user + used.system) / 1000 / ms) * 100,
    clientCpu: (result.cpuMs / ms) * 100,
  };
}

export async function runFanout(config: BenchConfig): Promise<FanoutRow[]> {
  const clients = config.fanoutClients;
  const servers = new Map<string, StreamServer>();
  const fleets = new Map<string, ClientFleet>();
  try {
    servers.set('@lifeline/server', await startLifeline());
    servers.set('socket.io', await startSocketIo());
    const kinds: Record<string, FanoutClientKind> = {
      '@lifeline/server': 'lifeline',
      'socket.io': 'socket.io',
    };
    // One fleet at a time: connecting is the clients' busiest moment.
    for (const [name, server] of servers) {
      const fleet = new ClientFleet(kinds[name]!, server.url, clients);
      fleets.set(name, fleet);
      await fleet.next('ready', 120_000, `${clients} ${name} clients to connect`);
    }
    const details = new Map<string, Sample[]>([...servers.keys()].map((name) => [name, []]));
    const rates = await interleave(config, [...servers.keys()], async (name, recorded) => {
      const messages = recorded ? config.fanoutMessages : Math.ceil(config.fanoutMessages / 5);
      const result = await sample(name, servers.get(name)!, fleets.get(name)!, messages);
      if (recorded) details.get(name)!.push(result);
      return result.rate;
    });
    const base = median(rates.get('socket.io')!);
    return [...rates].map(([server, samples]) => {
      const of = details.get(server)!;
      const rate = median(samples);
      return {
        server,
        clients,
        messages: config.fanoutMessages,
        messagesPerSecond: rate,
        deliveriesPerSecond: rate * clients,
        ratio: ratio(rate, base),
        serverCpuPercent: median(of.map((s) => s.serverCpu)),
        clientCpuPercent: median(of.map((s) => s.clientCpu)),
        samples,
      };
    });
  } finally {
    await Promise.all([...fleets.values()].map((fleet) => fleet.stop()));
    await Promise.all([...servers.values()].map((server) => server.close()));
  }
}
