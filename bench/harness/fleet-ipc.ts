// The fleet benchmark's processes talk over Node IPC. This holds what both sides share: the
// clock every process stamps messages with, the messages themselves, and the parent's handle on
// a child (start, await its next message, stop it by pid).
import { type ChildProcess, fork } from 'node:child_process';
import { fromRoot, ROOT } from './paths';

export type FleetKind = 'lifeline' | 'socket.io';

/** A child that could not do what it was asked. */
export interface Failed {
  type: 'failed';
  message: string;
}

/** A server node (fleet-node.ts) → the parent. */
export type FromNode =
  | Failed
  | { type: 'listening'; port: number }
  | { type: 'heap'; bytes: number }
  | { type: 'cpu'; ms: number }
  | { type: 'published'; sent: number; failed: number };

/** The parent → a server node. `perSecond` 0 publishes every message at once (a burst). */
export type ToNode =
  | { type: 'heap' }
  | { type: 'cpu' }
  | { type: 'publish'; messages: number; perSecond: number }
  | { type: 'exit' };

/** The client process (fleet-clients.ts) → the parent. Latencies are in ms. */
export type FromClients =
  | Failed
  | { type: 'connected'; clients: number }
  | { type: 'armed' }
  | {
      type: 'done';
      /** {@link monotonicMs} when the last expected message arrived. */
      at: number;
      /** Fewest and most messages one client received. */
      fewest: number;
      most: number;
      p50: number;
      p99: number;
      /** CPU time the client process used since `arm`, ms. */
      cpuMs: number;
    };

/** The parent → the client process. */
export type ToClients =
  | { type: 'connect'; perNode: number }
  | { type: 'arm'; messages: number }
  | { type: 'exit' };

/**
 * Milliseconds on the host's monotonic clock (`process.hrtime`, CLOCK_MONOTONIC on Linux): one
 * clock for every process on the machine, so a time stamped in a server node's process can be
 * subtracted from one taken in the clients' process, and no wall-clock adjustment shifts it.
 */
export function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1000 + nanoseconds / 1e6;
}

/** The child's side: report a failure to the parent and leave. */
export function failAndExit(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.send?.({ type: 'failed', message } satisfies Failed);
  process.exitCode = 1;
  process.disconnect?.();
}

interface Waiter<From> {
  resolve(message: From): void;
  reject(error: Error): void;
}

/**
 * A benchmark child process (TypeScript, through tsx) driven over IPC. Messages are awaited one
 * at a time, in order; a message that arrives before anyone waits is kept for the next `next`.
 */
export class IpcChild<From extends { type: string }, To extends { type: string }> {
  private readonly child: ChildProcess;
  private readonly inbox: From[] = [];
  private waiter: Waiter<From> | undefined;
  private exited = false;
  private readonly exit: Promise<void>;

  constructor(
    private readonly name: string,
    script: string,
    args: string[],
    nodeOptions: string[] = [],
  ) {
    this.child = fork(fromRoot(script), args, {
      execArgv: ['--import', 'tsx', ...nodeOptions],
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.exit = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exited = true;
        this.waiter?.reject(new Error(`${name} exited (${signal ?? code}) before answering`));
        this.waiter = undefined;
        resolve();
      });
    });
    this.child.on('message', (message: From) => {
      const waiter = this.waiter;
      this.waiter = undefined;
      if (waiter) waiter.resolve(message);
      else this.inbox.push(message);
    });
  }

  /** The child's next message, which must be of `type` (a `failed` one throws its message). */
  async next<T extends From['type']>(
    type: T,
    timeoutMs: number,
    what: string,
  ): Promise<Extract<From, { type: T }>> {
    if (this.waiter) throw new Error(`${this.name}: already waiting for a message`);
    let timer: NodeJS.Timeout | undefined;
    const message =
      this.inbox.shift() ??
      (await new Promise<From>((resolve, reject) => {
        if (this.exited) {
          reject(new Error(`${this.name} has exited (${what})`));
          return;
        }
        this.waiter = { resolve, reject };
        timer = setTimeout(() => {
          this.waiter = undefined;
          reject(new Error(`${this.name}: no answer within ${timeoutMs} ms for ${what}`));
        }, timeoutMs);
      }).finally(() => clearTimeout(timer)));
    if (message.type === 'failed') {
      throw new Error(`${this.name}, ${what}: ${(message as unknown as Failed).message}`);
    }
    if (message.type !== type) throw new Error(`${this.name}, ${what}: got ${message.type}`);
    return message as Extract<From, { type: T }>;
  }

  tell(message: To): void {
    if (this.child.connected) this.child.send(message);
  }

  /** Asks the child to exit; SIGKILLs it (by pid) when it has not within a second. */
  async stop(): Promise<void> {
    if (this.exited) return;
    this.tell({ type: 'exit' } as To);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 1000);
    await this.exit;
    clearTimeout(timer);
  }
}
