// One redis-server per test file (Debian's, on a free loopback port, see test/support/redis.ts)
// with an ioredis client for the checks that read Redis directly; both stopped after the file.
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { type RedisServer, startRedis } from '../../../../test/support/redis';

export interface FileRedis {
  /** The server (kill/start it to test an outage). */
  readonly server: RedisServer;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** A client for direct reads and writes. */
  readonly admin: Redis;
}

/** Registers the file's hooks; the fields are set once `beforeAll` ran. */
export function useRedisServer(): FileRedis {
  let server: RedisServer | undefined;
  let admin: Redis | undefined;
  beforeAll(async () => {
    server = await startRedis();
    admin = new Redis(server.url);
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.close();
  });
  return {
    get server() {
      return server!;
    },
    get url() {
      return server!.url;
    },
    get admin() {
      return admin!;
    },
  };
}
