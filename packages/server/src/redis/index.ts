// Entry of `@lifeline/server/redis`: the Redis store for several server nodes. Kept apart from
// the main entry so that ioredis (an optional peer dependency) loads only when this is imported.
export {
  type RedisStoreOptions,
  type RedisStreamStore,
  redisStore,
} from '../redis-store';
