// The clients of the fan-out benchmark, run in a child process of their own so that their work
// never shares the server's event loop (or its core, on a 2-core machine). Driven over IPC:
//   node --import tsx fanout-clients.ts <lifeline|socket.io> <url> <clients> <stream>
// (messages: fanout-protocol.ts).
import { io, type Socket as SocketIoClient } from 'socket.io-client';
import { WebSocket } from 'ws';
import {
  type FanoutClientKind,
  type FromClients,
  type ToClients,
  wallClock,
} from './fanout-protocol';

interface Client {
  close(): void;
}

/**
 * A raw `ws` client speaking the Lifeline protocol: one subscribe request, then every frame is
 * parsed and those of the stream counted, as any client must at least do.
 */
function lifelineClient(url: string, stream: string, index: number, onFrame: () => void) {
  return new Promise<Client>((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const id = `fanout-${index}`;
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', id, data: { stream } })));
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { stream?: string; re?: string; error?: unknown };
      if (frame.stream === stream) onFrame();
      else if (frame.re === id && frame.error) reject(new Error(JSON.stringify(frame.error)));
      else if (frame.re === id) resolve({ close: () => ws.terminate() });
    });
  });
}

/** A socket.io-client on the WebSocket transport that joins the room, counting `tick` events. */
function socketIoClient(url: string, room: string, onFrame: () => void) {
  return new Promise<Client>((resolve, reject) => {
    const socket: SocketIoClient = io(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    socket.on('connect_error', reject);
    socket.on('tick', onFrame);
    socket.on('connect', () => {
      socket.emit('join', room, () => resolve({ close: () => socket.disconnect() }));
    });
  });
}

const send = (message: FromClients) => process.send?.(message);

async function main(): Promise<void> {
  const [kind, url, total, stream] = process.argv.slice(2) as [
    FanoutClientKind,
    string,
    string,
    string,
  ];
  const count = Number(total);
  const received = new Array<number>(count).fill(0);
  let expected = Number.POSITIVE_INFINITY;
  let delivered = 0;
  let cpu = process.cpuUsage();
  const clients: Client[] = [];
  const counter = (index: number) => () => {
    received[index]!++;
    if (++delivered !== expected) return;
    const at = wallClock();
    const used = process.cpuUsage(cpu);
    send({
      type: 'done',
      at,
      cpuMs: (used.user + used.system) / 1000,
      fewest: Math.min(...received),
      most: Math.max(...received),
    });
  };
  process.on('message', (message: ToClients) => {
    if (message.type === 'exit') {
      for (const client of clients) client.close();
      process.disconnect();
      return;
    }
    received.fill(0);
    delivered = 0;
    expected = message.messages * count;
    cpu = process.cpuUsage();
    send({ type: 'armed' });
  });
  // In batches: a thousand handshakes at once would overflow the listen backlog.
  for (let from = 0; from < count; from += 100) {
    const batch: Promise<Client>[] = [];
    for (let i = from; i < Math.min(count, from + 100); i++) {
      batch.push(
        kind === 'lifeline'
          ? lifelineClient(url, stream, i, counter(i))
          : socketIoClient(url, stream, counter(i)),
      );
    }
    clients.push(...(await Promise.all(batch)));
  }
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
