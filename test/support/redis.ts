// Runs Debian's redis-server for tests: on a free 127.0.0.1 port, without persistence (`--save ''
// --appendonly no`, so a restart loses every key, like a crash of a cache), in a temp dir,
// stopped by pid. `kill()` + `start()` restart it on the same port with its data gone.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisStoreOptions } from '../../packages/server/src/redis/index';
import { daemon } from './daemon';
import { freePort } from './nginx';

const CANDIDATES = [
  '/usr/bin/redis-server',
  '/usr/local/bin/redis-server',
  '/usr/sbin/redis-server',
];

export interface RedisServer {
  readonly port: number;
  /** pid of the running redis-server (undefined while down). */
  readonly pid: number | undefined;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** SIGKILL and wait for the exit: every key is gone. */
  kill(): Promise<void>;
  /** Starts a fresh (empty) redis-server on the same port; resolves once it answers PING. */
  start(): Promise<void>;
  /** Stops it and removes its temp dir. */
  close(): Promise<void>;
}

/** ioredis' client type, as @lifeline/server's redisStore takes it. */
export type RedisClient = NonNullable<RedisStoreOptions['client']>;
type RedisConstructor = new (url: string, options: object) => RedisClient;

/**
 * An ioredis client for checks from tests (ioredis is @lifeline/server's dependency, not the
 * repo root's, so it is loaded from there). Disconnect it when done.
 */
export function redisClient(url: string): RedisClient {
  const load = createRequire(new URL('../../packages/server/package.json', import.meta.url));
  const { Redis } = load('ioredis') as { Redis: RedisConstructor };
  const client = new Redis(url, { maxRetriesPerRequest: 2 });
  client.on('error', () => {}); // a test that kills Redis sees failed commands instead
  return client;
}

export function findRedis(): string {
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      'redis-server not found: install it (Debian: `apt-get install -y redis-server`; .ci/run does).',
    );
  }
  return found;
}

/** True once a PING on `port` gets +PONG (not just a TCP accept: Redis may still be loading). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(String(data).startsWith('+PONG')));
    socket.once('error', () => done(false));
  });
}

/** Starts redis-server on a free loopback port. */
export async function startRedis(): Promise<RedisServer> {
  const binary = findRedis();
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-redis-'));
  const port = await freePort();
  let stderr = '';
  const redisProcess = daemon({
    name: `redis-server on ${port}`,
    spawn() {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly'];
      const proc = spawn(binary, [...args, 'no', '--dir', dir, '--loglevel', 'warning'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      proc.stderr?.on('data', (chunk) => {
        stderr = (stderr + String(chunk)).slice(-2000);
      });
      return proc;
    },
    ready: () => answersPing(port),
    output: () => stderr,
  });

  const redis: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return redisProcess.pid;
    },
    start: () => redisProcess.start(),
    kill: () => redisProcess.kill(),
    async close() {
      await redis.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await redis.start();
  return redis;
}
