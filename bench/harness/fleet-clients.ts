// The clients of the fleet benchmark, in a process of their own so the server nodes get the CPU:
//   node --import tsx fleet-clients.ts <lifeline|socket.io> <stream> <url>,<url>,…
// Clients are spread evenly over the nodes' URLs. Each delivery's latency is the monotonic clock
// now minus the stamp the publishing node put in the message (fleet-ipc.ts).
import { io } from 'socket.io-client';
import { WebSocket } from 'ws';
import {
  type FleetKind,
  type FromClients,
  failAndExit,
  monotonicMs,
  type ToClients,
} from './fleet-ipc';

interface Client {
  close(): void;
}

/** Called with the stamp of each message a client receives. */
type OnStamp = (stamp: number) => void;

/** Clients connecting at once per node: a thousand handshakes at once overflow the backlog. */
const BATCH = 50;

/**
 * A raw `ws` client speaking the Lifeline protocol: it subscribes, then parses every frame and
 * hands on the stamp of each message of the stream (all any client has to do with a frame).
 */
function lifelineClient(url: string, stream: string, id: string, onStamp: OnStamp) {
  return new Promise<Client>((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', id, data: { stream } })));
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as {
        stream?: string;
        re?: string;
        error?: unknown;
        data?: { t?: number };
      };
      if (frame.stream === stream) onStamp(frame.data?.t ?? Number.NaN);
      else if (frame.re === id && frame.error) reject(new Error(JSON.stringify(frame.error)));
      else if (frame.re === id) resolve({ close: () => ws.terminate() });
    });
  });
}

/** A socket.io-client on the WebSocket transport that joins the room and hands on stamps. */
function socketIoClient(url: string, room: string, onStamp: OnStamp) {
  return new Promise<Client>((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    socket.on('connect_error', reject);
    socket.on('tick', (data: { t?: number }) => onStamp(data?.t ?? Number.NaN));
    socket.on('connect', () => {
      socket.emit('join', room, () => resolve({ close: () => socket.disconnect() }));
    });
  });
}

/** The sample at fraction `p` of sorted `values` (nearest rank). */
const rank = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;

const send = (message: FromClients) => process.send?.(message);

async function main(): Promise<void> {
  const [kind, stream, urlList] = process.argv.slice(2) as [FleetKind, string, string];
  const urls = urlList.split(',');
  const clients: Client[] = [];
  const received: number[] = [];
  let latencies = new Float64Array(0);
  let delivered = 0;
  let expected = Number.POSITIVE_INFINITY;
  let cpu = process.cpuUsage();

  const onStamp = (index: number) => (stamp: number) => {
    const now = monotonicMs();
    received[index]!++;
    if (delivered < latencies.length) latencies[delivered] = now - stamp;
    if (++delivered !== expected) return;
    const used = process.cpuUsage(cpu);
    const sorted = latencies.sort();
    send({
      type: 'done',
      at: now,
      fewest: Math.min(...received),
      most: Math.max(...received),
      p50: rank(sorted, 0.5),
      p99: rank(sorted, 0.99),
      cpuMs: (used.user + used.system) / 1000,
    });
  };

  const connect = async (perNode: number) => {
    const per = Math.ceil(clients.length / urls.length);
    for (let from = per; from < perNode; from += BATCH) {
      const batch: Promise<Client>[] = [];
      for (const url of urls) {
        for (let i = from; i < Math.min(perNode, from + BATCH); i++) {
          const index = received.push(0) - 1;
          batch.push(
            kind === 'lifeline'
              ? lifelineClient(url, stream, `c${index}`, onStamp(index))
              : socketIoClient(url, stream, onStamp(index)),
          );
        }
      }
      clients.push(...(await Promise.all(batch)));
    }
    send({ type: 'connected', clients: clients.length });
  };

  process.on('message', (message: ToClients) => {
    if (message.type === 'exit') {
      for (const client of clients) client.close();
      process.exit(0);
    }
    if (message.type === 'connect') {
      connect(message.perNode).catch(failAndExit);
      return;
    }
    received.fill(0);
    delivered = 0;
    expected = message.messages * clients.length;
    latencies = new Float64Array(expected);
    cpu = process.cpuUsage();
    send({ type: 'armed' });
  });
}

// Orphaned (the benchmark died): exit rather than linger.
process.on('disconnect', () => process.exit(0));
main().catch(failAndExit);
