// redisStore: stream logs in Redis Streams shared by every server node, so any node can resume
// any client. Seqs come from one Lua script per append (atomic across nodes); fan-out is Redis
// pub/sub, published by that same script, so each node hears every stream's messages in seq
// order; after a lost subscriber connection the node reads back what it missed of the streams
// it serves (redis/catch-up.ts). Request dedupe lives in Redis too (redis/replies.ts). Imported
// from `@lifeline/server/redis`, so that users of memoryStore never load ioredis.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ReplyStore, ReplyStoreProvider } from './dedupe';
import { ServerError } from './errors';
import { catchUp, ServedStreams } from './redis/catch-up';
import { RedisConnections, unavailable } from './redis/client';
import { RedisReplyStore } from './redis/replies';
import { APPEND, READ } from './redis/scripts';
import type { Position, ReadResult, StreamMessage, StreamStore } from './store';
import { positiveInteger } from './store-options';

/** Options of {@link redisStore}. Give `url` or `client`. */
export interface RedisStoreOptions {
  /** Redis URL, e.g. `redis://:password@redis.internal:6379/0`. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** An ioredis client to use instead (not closed by `close()`; a duplicate subscribes). */
  client?: Redis;
  /** Messages kept per stream (exact trim on every append). Default 1000. */
  maxPerStream?: number;
  /** Milliseconds a message is kept, by Redis' clock. Default 120000. */
  maxAge?: number;
  /** Prefix of every key and channel, to share a Redis with other apps. Default `'lifeline:'`. */
  keyPrefix?: string;
  /** Milliseconds a stream's keys live without appends or reads. Default 86400000 (a day). */
  idleTtl?: number;
  /** Milliseconds a request claim outlives its node's last heartbeat. Default 10000. */
  claimTtl?: number;
  /** Milliseconds the first command waits for the first connection. Default 5000. */
  connectTimeout?: number;
}

/** A {@link StreamStore} on Redis that also shares request dedupe between nodes. */
export interface RedisStreamStore extends StreamStore, ReplyStoreProvider {
  /**
   * Resolves once connected and listening to the fan-out (a readiness probe: start serving
   * after it, and no live message is missed at startup); rejects with `ERR_STORE_UNAVAILABLE`
   * after `connectTimeout` ms.
   */
  ready(): Promise<void>;
}

function checkOptions(options: RedisStoreOptions) {
  if (typeof options !== 'object' || options === null) {
    throw new ServerError('ERR_INVALID_OPTION', 'redisStore: options must be an object');
  }
  const { url, client, keyPrefix = 'lifeline:' } = options;
  if (url !== undefined && client !== undefined) {
    throw new ServerError('ERR_INVALID_OPTION', 'redisStore: give `url` or `client`, not both');
  }
  if (url !== undefined && (typeof url !== 'string' || !/^rediss?:\/\//.test(url))) {
    throw new ServerError(
      'ERR_INVALID_OPTION',
      'redisStore: url must start with redis:// or rediss://',
    );
  }
  if (
    client !== undefined &&
    typeof (client as { duplicate?: unknown })?.duplicate !== 'function'
  ) {
    throw new ServerError('ERR_INVALID_OPTION', 'redisStore: client must be an ioredis client');
  }
  if (typeof keyPrefix !== 'string') {
    throw new ServerError('ERR_INVALID_OPTION', 'redisStore: keyPrefix must be a string');
  }
  const maxAge = positiveInteger('redisStore', 'maxAge', options.maxAge, 120_000);
  return {
    url,
    client,
    keyPrefix,
    maxPerStream: positiveInteger('redisStore', 'maxPerStream', options.maxPerStream, 1000),
    maxAge,
    idleTtl: Math.max(
      maxAge,
      positiveInteger('redisStore', 'idleTtl', options.idleTtl, 86_400_000),
    ),
    claimTtl: positiveInteger('redisStore', 'claimTtl', options.claimTtl, 10_000),
    connectTimeout: positiveInteger('redisStore', 'connectTimeout', options.connectTimeout, 5000),
  };
}

/** A fan-out payload from the append script: [stream, type, epoch, seq, data]. */
function decodeFanOut(text: string): StreamMessage | undefined {
  try {
    const [stream, type, epoch, seq, data] = JSON.parse(text) as unknown[];
    if (typeof stream !== 'string' || typeof type !== 'string') return undefined;
    if (typeof epoch !== 'string' || typeof seq !== 'string' || typeof data !== 'string') {
      return undefined;
    }
    return { stream, type, epoch, seq, data: data === '' ? undefined : JSON.parse(data) };
  } catch {
    return undefined;
  }
}

/** A log entry from XREVRANGE: [id, [field, value, …]]. */
function decodeEntry(stream: string, epoch: string, entry: unknown): StreamMessage {
  const fields = (entry as [string, string[]])[1];
  const value = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
  const data = value('d');
  return {
    stream,
    type: value('t'),
    epoch,
    seq: value('s'),
    data: data === '' ? undefined : JSON.parse(data),
  };
}

/**
 * A {@link StreamStore} on Redis for several server nodes behind a load balancer: each stream
 * is a Redis Stream trimmed to `maxPerStream` messages and `maxAge` ms, seqs are assigned
 * atomically by a Lua script, messages fan out to every node over pub/sub, and the server's
 * request dedupe is kept in Redis. While Redis is unreachable, `append` (and so `publish`)
 * rejects with `ServerError` `ERR_STORE_UNAVAILABLE`; connections stay up.
 *
 * @example
 * import { createServer } from '@lifeline/server';
 * import { redisStore } from '@lifeline/server/redis';
 *
 * const store = redisStore({ url: process.env.REDIS_URL });
 * const server = createServer({ port: 8080, store });
 * process.on('SIGTERM', async () => { await server.close(); await store.close(); });
 */
export function redisStore(options: RedisStoreOptions = {}): RedisStreamStore {
  const config = checkOptions(options);
  const { keyPrefix, maxPerStream, maxAge, idleTtl, claimTtl } = config;
  const redis = new RedisConnections(config, config.connectTimeout);
  const channel = `${keyPrefix}fanout`;
  const keys = (stream: string) => [`${keyPrefix}meta:${stream}`, `${keyPrefix}log:${stream}`];
  const listeners = new Set<(message: StreamMessage) => void>();
  const replyStores = new Set<RedisReplyStore>();
  const served = new ServedStreams();
  let closed = false;

  const relay = (message: StreamMessage) => {
    served.relay(message);
    // A copy: a listener may unsubscribe (or subscribe) while we iterate.
    for (const listener of [...listeners]) listener(message);
  };
  redis.subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    const message = decodeFanOut(text);
    if (message) relay(message); // else not ours: someone else published on the channel
  });
  // Queued until connected, and sent again after every reconnect (ioredis autoResubscribe).
  const subscribed = redis.subscriber.subscribe(channel).then(
    () => true,
    () => false,
  );

  const read = async (stream: string, since: Position | undefined) => {
    const reply = (await redis.eval(READ, keys(stream), [
      randomUUID(),
      since?.epoch ?? '',
      since?.seq ?? '0',
      maxPerStream,
      maxAge,
      idleTtl,
    ])) as [string, string, number, unknown[]?];
    const [epoch, head, recovered, entries = []] = reply;
    return { epoch, head, recovered: recovered === 1, entries };
  };
  const readLog = async (stream: string, since: Position | undefined): Promise<ReadResult> => {
    const { epoch, head, recovered, entries } = await read(stream, since);
    const messages = entries.map((entry) => decodeEntry(stream, epoch, entry)).reverse();
    return { epoch, head, recovered, messages };
  };

  // After the subscriber reconnected (not its first connection): once subscribed again, read
  // back what was missed meanwhile. One round at a time; a reconnect during a round asks for
  // one more, since that round may have read before the new gap.
  let catching = false;
  let again = false;
  const catchUpRounds = async () => {
    catching = true;
    do {
      again = false;
      await catchUp(served, readLog, relay, () => closed).catch(() => {});
    } while (again && !closed);
    catching = false;
  };
  let connections = 0;
  redis.subscriber.on('ready', () => {
    if (connections++ === 0 || closed) return;
    redis.subscriber.subscribe(channel).then(
      () => {
        if (catching) again = true;
        else void catchUpRounds();
      },
      () => {}, // lost again: the next 'ready' retries
    );
  });

  return {
    async append(stream, type, data) {
      if (closed) throw new ServerError('ERR_CLOSED', 'redisStore: the store is closed');
      const text = data === undefined ? '' : JSON.stringify(data);
      const [epoch, seq] = (await redis.eval(APPEND, keys(stream), [
        randomUUID(),
        stream,
        type,
        text,
        maxPerStream,
        maxAge,
        idleTtl,
        channel,
      ])) as [string, string];
      return { stream, type, epoch, seq, data };
    },

    async head(stream) {
      const { epoch, head } = await read(stream, undefined);
      served.serve(stream, { epoch, seq: head });
      return { epoch, seq: head };
    },

    async readSince(stream, since): Promise<ReadResult> {
      const result = await readLog(stream, since);
      served.serve(stream, { epoch: result.epoch, seq: result.head });
      return result;
    },

    async ready() {
      await redis.call((r) => r.ping());
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), config.connectTimeout);
      });
      const ok = await Promise.race([subscribed, late]);
      clearTimeout(timer);
      if (!ok) throw unavailable('not subscribed to the fan-out channel');
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    replyStore(window: number): ReplyStore {
      const store = new RedisReplyStore({
        redis,
        keyOf: (id) => `${keyPrefix}reply:${id}`,
        window,
        claimTtl,
        owner: `r${randomUUID()}`,
      });
      replyStores.add(store);
      return store;
    },

    /** Lets this node's running requests store their replies (at most `claimTtl`), then disconnects. */
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await Promise.all([...replyStores].map((store) => store.settle(claimTtl)));
      replyStores.clear();
      redis.close();
    },
  };
}
