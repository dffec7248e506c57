// A system server a test runs (redis-server, nginx): spawned, polled until it answers, and
// SIGKILLed by pid. `kill()` then `start()` runs a fresh process with the same arguments.
import type { ChildProcess } from 'node:child_process';

const START_TIMEOUT = 10_000;

export interface Daemon {
  /** pid of the running process (undefined while down). */
  readonly pid: number | undefined;
  /** Spawns it and resolves once `ready()` says it answers; throws if it exits or never does. */
  start(): Promise<void>;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

export function daemon(options: {
  /** Named in the error when it does not start, e.g. `redis-server on 6379`. */
  name: string;
  spawn(): ChildProcess;
  ready(): Promise<boolean>;
  /** What it said, for that error (its stderr or log). */
  output(): string;
}): Daemon {
  let child: { process: ChildProcess; exited: Promise<void> } | undefined;
  const self: Daemon = {
    get pid() {
      return child?.process.pid;
    },
    async start() {
      if (child) return;
      const proc = options.spawn();
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      child = { process: proc, exited };
      const deadline = Date.now() + START_TIMEOUT;
      while (!(await options.ready())) {
        if (proc.exitCode !== null || Date.now() > deadline) {
          await self.kill();
          throw new Error(`${options.name} did not start: ${options.output()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async kill() {
      const running = child;
      child = undefined;
      if (!running) return;
      running.process.kill('SIGKILL');
      await running.exited;
    },
  };
  return self;
}
