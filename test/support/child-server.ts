// Runs chaos-server.mjs as a child process on a fixed 127.0.0.1 port so a test can SIGKILL,
// SIGSTOP or SIGCONT a real server and start a fresh one on the same port. A warm spare
// processes are kept loaded, so a restart costs milliseconds rather than a Node startup
// (seconds on a busy CI machine).
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./chaos-server.mjs', import.meta.url));
const STARTUP_TIMEOUT = 30_000;
const SPARES = 3;

export interface ChildServerOptions {
  /** Delay before replying to a request, ms (keeps requests in flight across a fault). */
  replyDelayMs?: number;
  /** With this, each reply waits a random delay between `replyDelayMs` and this, ms. */
  replyDelayMaxMs?: number;
}

/** One line of the request log: a process got request `id` on a connection, or answered it. */
export interface RequestRecord {
  pid: number;
  /** Connection number within that process (1 = its first). */
  connection: number;
  kind: 'request' | 'reply';
  id: string;
}

export interface ChildServer {
  readonly port: number;
  /** pid of the serving process (undefined while down). */
  readonly pid: number | undefined;
  url(path?: string): string;
  /** Text frames the server processed, in order, across every process that served. */
  journal(): string[];
  /** Every request received and every reply sent, in order, across every process. */
  requests(): RequestRecord[];
  /** Send `signal` to the serving process; for SIGKILL/SIGTERM, wait until it exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGSTOP: the process freezes, its TCP connections stay open (half-open to the client). */
  freeze(): void;
  /** SIGCONT after `freeze`. */
  thaw(): void;
  /** Promote a warm spare to serve on the same port. */
  start(): Promise<void>;
  /** Kill every child process and remove the journal. */
  close(): Promise<void>;
}

/** A forked server process and when it exited. */
export interface Child {
  process: ChildProcess;
  exited: Promise<void>;
}

/**
 * Forks `script` (default chaos-server.mjs) and resolves once it says it is loaded (its first
 * IPC message). Other child servers (stream-server.ts) reuse this for their warm spares.
 */
export function spawnChild(script = SCRIPT): Promise<Child> {
  const child = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('chaos-server did not load in time'));
    }, STARTUP_TIMEOUT);
    child.once('message', () => {
      clearTimeout(timer);
      resolve({ process: child, exited });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chaos-server exited during startup (${code})`));
    });
  });
}

/** The value of `key` in the next IPC message from `child` that has it. */
export function waitMessage<T>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${key} from chaos-server`)),
      STARTUP_TIMEOUT,
    );
    const onMessage = (message: Record<string, unknown>) => {
      if (!(key in message)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message[key] as T);
    };
    child.on('message', onMessage);
  });
}

/**
 * Warm spares of one child script: `take()` hands over a loaded process and starts loading its
 * replacement, so a restart costs milliseconds. `close()` kills every process the pool made.
 */
export interface SparePool {
  take(): Promise<Child>;
  /** A process that has exited (killed or stopped by its user): no longer the pool's to kill. */
  forget(child: Child): void;
  close(): Promise<void>;
}

export function sparePool(script: string, size: number): SparePool {
  const all = new Set<Child>();
  const track = (promise: Promise<Child>) => {
    promise.then((child) => all.add(child)).catch(() => {});
    return promise;
  };
  let spares = Array.from({ length: size }, () => track(spawnChild(script)));
  return {
    async take() {
      const child = await (spares.shift() ?? track(spawnChild(script)));
      spares.push(track(spawnChild(script)));
      return child;
    },
    forget: (child) => all.delete(child),
    async close() {
      const pending = spares;
      spares = [];
      for (const spare of pending) await spare.catch(() => undefined);
      for (const child of all) {
        child.process.kill('SIGKILL');
        await child.exited;
      }
      all.clear();
    },
  };
}

/** Starts a child-process server on a free port (kept across restarts). */
export async function startChildServer(options: ChildServerOptions = {}): Promise<ChildServer> {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-chaos-'));
  const journalPath = join(dir, 'journal.log');
  const requestLogPath = join(dir, 'requests.log');
  let port = 0;
  let current: Child | undefined;
  const pool = sparePool(SCRIPT, SPARES);

  const server: ChildServer = {
    get port() {
      return port;
    },
    get pid() {
      return current?.process.pid;
    },
    url: (path = '/') => `ws://127.0.0.1:${port}${path}`,
    journal() {
      try {
        return readFileSync(journalPath, 'utf8').split('\n').slice(0, -1);
      } catch {
        return [];
      }
    },
    requests() {
      let text = '';
      try {
        text = readFileSync(requestLogPath, 'utf8');
      } catch {
        return [];
      }
      // Each line is one small write, so SIGKILL leaves none half-written; skip any odd one.
      return text.split('\n').flatMap((line) => {
        const [pid, connection, kind, id] = line.split(' ');
        if (!id || (kind !== 'request' && kind !== 'reply')) return [];
        return [{ pid: Number(pid), connection: Number(connection), kind, id }];
      });
    },
    async kill(signal = 'SIGKILL') {
      const child = current;
      if (!child) return;
      if (signal === 'SIGKILL' || signal === 'SIGTERM') current = undefined;
      child.process.kill(signal);
      if (!current) {
        await child.exited;
        pool.forget(child);
      }
    },
    freeze() {
      current?.process.kill('SIGSTOP');
    },
    thaw() {
      current?.process.kill('SIGCONT');
    },
    async start() {
      if (current) return;
      const child = await pool.take();
      const listening = waitMessage<number>(child.process, 'listening');
      child.process.send({
        cmd: 'listen',
        port,
        journal: journalPath,
        requestLog: requestLogPath,
        replyDelayMs: options.replyDelayMs ?? 0,
        replyDelayMaxMs: options.replyDelayMaxMs ?? options.replyDelayMs ?? 0,
      });
      port = await listening;
      current = child;
    },
    async close() {
      current = undefined;
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
