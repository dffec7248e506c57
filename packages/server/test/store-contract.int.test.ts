// The StreamStore contract (store-contract.ts) against both stores: memoryStore, and
// redisStore on a real redis-server started for this file.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { type RedisServer, startRedis } from '../../../test/support/redis';
import { memoryStore } from '../src/index';
import { redisStore } from '../src/redis/index';
import { describeStoreContract } from './store-contract';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.close());

describeStoreContract('memoryStore', {
  create: async (options) => memoryStore(options),
});

describeStoreContract('redisStore', {
  // Each store gets its own key prefix: a fresh, empty history on the shared redis-server.
  create: async (options) =>
    redisStore({ url: redis.url, keyPrefix: `contract:${randomUUID()}:`, ...options }),
});
