// Runs stream-server-child.mjs (a real @lifeline/server with its memory store) as a child process on
// a fixed 127.0.0.1 port, so a test can SIGKILL it, losing every stream's history, and start a
// fresh one on the same port. Warm spares (child-server.ts's sparePool) make a restart cost
// milliseconds. Publishing goes through IPC, so the test knows each position handed out.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requireBuilt } from './build';
import { type Child, sparePool, waitMessage } from './child-server';

const SCRIPT = fileURLToPath(new URL('./stream-server-child.mjs', import.meta.url));
const SERVER_BUILD = fileURLToPath(
  new URL('../../packages/server/dist/index.mjs', import.meta.url),
);
const SPARES = 2;

export interface Published {
  epoch: string;
  seq: string;
}

export interface StreamChildServer {
  readonly port: number;
  /** pid of the serving process (undefined while down). */
  readonly pid: number | undefined;
  url(path?: string): string;
  /** Publishes in the serving process; rejects when it is down or dies before answering. */
  publish(stream: string, type: string, data?: unknown): Promise<Published>;
  /** SIGKILL the serving process and wait until it exited: its memory store is gone. */
  kill(): Promise<void>;
  /** Promote a warm spare to serve on the same port (a new store: new epochs). */
  start(): Promise<void>;
  /** Kill every child process. */
  close(): Promise<void>;
}

interface Serving extends Child {
  waiting: Map<number, { resolve(p: Published): void; reject(e: Error): void }>;
}

function serve(child: Child): Serving {
  const serving: Serving = { ...child, waiting: new Map() };
  child.process.on('message', (message: { published?: Published & { ref: number } }) => {
    const published = message.published;
    if (!published) return;
    serving.waiting.get(published.ref)?.resolve({ epoch: published.epoch, seq: published.seq });
    serving.waiting.delete(published.ref);
  });
  void child.exited.then(() => {
    for (const { reject } of serving.waiting.values())
      reject(new Error(`stream-server ${child.process.pid} died before it answered`));
    serving.waiting.clear();
  });
  return serving;
}

function listenOn(process: ChildProcess, port: number): Promise<number> {
  const listening = waitMessage<number>(process, 'listening');
  process.send({ cmd: 'listen', port });
  return listening;
}

/** Starts a child-process @lifeline/server on a free port (kept across restarts). */
export async function startStreamServer(): Promise<StreamChildServer> {
  requireBuilt(SERVER_BUILD);
  let port = 0;
  let ref = 0;
  let current: Serving | undefined;
  const pool = sparePool(SCRIPT, SPARES);

  const server: StreamChildServer = {
    get port() {
      return port;
    },
    get pid() {
      return current?.process.pid;
    },
    url: (path = '/ws') => `ws://127.0.0.1:${port}${path}`,
    publish(stream, type, data) {
      const serving = current;
      if (!serving) return Promise.reject(new Error('stream-server is down'));
      const id = ++ref;
      return new Promise((resolve, reject) => {
        serving.waiting.set(id, { resolve, reject });
        serving.process.send({ cmd: 'publish', ref: id, stream, type, data });
      });
    },
    async kill() {
      const serving = current;
      if (!serving) return;
      current = undefined;
      serving.process.kill('SIGKILL');
      await serving.exited;
      pool.forget(serving);
    },
    async start() {
      if (current) return;
      const child = await pool.take();
      const listening = listenOn(child.process, port);
      const died = child.exited.then(() => {
        throw new Error('stream-server exited before it listened (see its stderr)');
      });
      // Whichever loses the race settles later, unobserved: mark both handled.
      for (const promise of [listening, died]) promise.catch(() => {});
      port = await Promise.race([listening, died]);
      current = serve(child);
    },
    async close() {
      current = undefined;
      await pool.close();
    },
  };
  await server.start();
  return server;
}
