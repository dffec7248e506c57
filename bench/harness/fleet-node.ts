// One server node of the fleet benchmark, in a process of its own (run with --expose-gc):
//   node --import tsx --expose-gc fleet-node.ts <lifeline|socket.io> <redis url> <stream>
// `lifeline`: @lifeline/server with redisStore. `socket.io`: socket.io 4.8 with
// @socket.io/redis-streams-adapter; a client emits `join` with a room and is acknowledged.
// Both listen on 127.0.0.1 (a free port) and answer the parent over IPC (fleet-ipc.ts):
// `heap` → heap used after a forced GC; `cpu` → CPU time used so far; `publish` → stamps each message with the monotonic
// clock and publishes it through this node, at `perSecond` or all at once.
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from '@lifeline/server';
import { redisStore } from '@lifeline/server/redis';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { Server as SocketIoServer } from 'socket.io';
import { type FleetKind, type FromNode, failAndExit, monotonicMs, type ToNode } from './fleet-ipc';
import { SOCKET_IO_OPTIONS, STREAM_DATA } from './stream-servers';

/** Sends one stamped message to every subscriber of the stream, on every node. */
type Publish = (data: { t: number; text: string }) => Promise<unknown> | undefined;

const send = (message: FromNode) => process.send?.(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PUBLISH_TICK_MS = 5;
const READY_TIMEOUT_MS = 10_000;

/**
 * @lifeline/server on redisStore. Pings are off, as in the fan-out benchmark: a run is shorter
 * than an interval, and a client busy with a burst must not be cut off for a late pong.
 */
async function startLifeline(redisUrl: string, stream: string): Promise<Publish> {
  const store = redisStore({ url: redisUrl, keyPrefix: 'bench-fleet:' });
  await store.ready();
  const server = createServer({ port: 0, host: '127.0.0.1', pingInterval: 0, store });
  // Counted and dropped without a listener: a benchmark must show them.
  server.on('error', (error) => process.stderr.write(`fleet node: ${String(error)}\n`));
  await server.ready();
  send({ type: 'listening', port: server.port! });
  return (data) => server.publish(stream, 'tick', data);
}

/**
 * True once this process's stream reader is blocked in XREAD: the adapter reads from "$" (only
 * entries added after the read began), so a broadcast published before that never reaches this
 * node. Its connections are duplicates of ours and carry our connection name.
 */
async function readingStream(redis: Redis, name: string): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const list = String(await redis.client('LIST'));
    if (list.split('\n').some((line) => line.includes(`name=${name} `) && /cmd=xread/.test(line)))
      return true;
    await sleep(20);
  }
  return false;
}

/** socket.io with the Redis streams adapter; its heartbeat is as good as off, like Lifeline's. */
async function startSocketIo(redisUrl: string, room: string): Promise<Publish> {
  const name = `lifeline-bench-${process.pid}`;
  const redis = new Redis(redisUrl, { connectionName: name });
  const http = createHttpServer();
  const io = new SocketIoServer(http, { ...SOCKET_IO_OPTIONS, adapter: createAdapter(redis) });
  io.on('connection', (socket) => {
    socket.on('join', (joined: unknown, ack: unknown) => {
      if (typeof joined !== 'string' || typeof ack !== 'function') return;
      void socket.join(joined);
      ack();
    });
  });
  if (!(await readingStream(redis, name))) throw new Error('the adapter never began to XREAD');
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  send({ type: 'listening', port: (http.address() as AddressInfo).port });
  return (data) => {
    io.to(room).emit('tick', data);
    return undefined;
  };
}

/**
 * Publishes `messages` stamped messages, `perSecond` (a late timer tick publishes what is owed)
 * or all at once when 0, and answers once every publish settled.
 */
async function publishAll(publish: Publish, messages: number, perSecond: number): Promise<void> {
  let sent = 0;
  let failed = 0;
  const pending: Promise<unknown>[] = [];
  const one = () => {
    sent++;
    const result = publish({ t: monotonicMs(), text: STREAM_DATA.text });
    if (result) pending.push(result.catch(() => void failed++));
  };
  if (perSecond === 0) {
    while (sent < messages) one();
  } else {
    const start = monotonicMs();
    while (sent < messages) {
      const owed = Math.min(messages, Math.floor(((monotonicMs() - start) * perSecond) / 1000));
      while (sent < owed) one();
      if (sent < messages) await sleep(PUBLISH_TICK_MS);
    }
  }
  await Promise.all(pending);
  send({ type: 'published', sent, failed });
}

/** Heap used after forced full GCs (the process runs with --expose-gc). */
async function heapUsed(): Promise<number> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run the node with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const [kind, redisUrl, stream] = process.argv.slice(2) as [FleetKind, string, string];
  const publish =
    kind === 'lifeline'
      ? await startLifeline(redisUrl, stream)
      : await startSocketIo(redisUrl, stream);
  process.on('message', (message: ToNode) => {
    if (message.type === 'exit') process.exit(0);
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ type: 'cpu', ms: (user + system) / 1000 });
      return;
    }
    const work =
      message.type === 'heap'
        ? heapUsed().then((bytes) => send({ type: 'heap', bytes }))
        : publishAll(publish, message.messages, message.perSecond);
    work.catch(failAndExit);
  });
}

// Orphaned (the benchmark died): exit rather than linger.
process.on('disconnect', () => process.exit(0));
main().catch(failAndExit);
