// The Redis connections of redisStore and how their failures look to callers. Commands fail
// fast while Redis is unreachable (no offline queue, no resend after a reconnect): an append
// that was queued or resent could run after its caller was told it failed, or run twice.
import { createHash } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { ServerError } from '../errors';

const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  retryStrategy: (attempt: number) => Math.min(50 * attempt, 500),
};

/** ioredis errors that are Redis answering (a bug or a bad key), not Redis being away. */
function isAnswer(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  if (name !== 'ReplyError') return false;
  // Redis loading its data set, or busy with a script: it is there but cannot answer yet.
  return !/^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)/.test(String(message));
}

/** The error a caller sees when Redis cannot be reached. */
export function unavailable(detail: string): ServerError {
  return new ServerError(
    'ERR_STORE_UNAVAILABLE',
    `redisStore: Redis is unavailable (${detail}); the call can be retried once it is back`,
  );
}

/** The command and subscriber connections, and a guarded way to use them. */
export class RedisConnections {
  readonly commands: Redis;
  readonly subscriber: Redis;
  private readonly owned: boolean;
  private everReady: boolean;
  private closed = false;
  private readonly shas = new Map<string, string>();
  private connecting: Promise<void> | undefined;

  constructor(
    options: { url: string | undefined; client: Redis | undefined },
    private readonly connectTimeout: number,
  ) {
    this.owned = options.client === undefined;
    this.commands = options.client ?? new Redis(options.url ?? 'redis://127.0.0.1:6379', FAIL_FAST);
    // The subscriber queues its SUBSCRIBE until connected and subscribes again after each
    // reconnect (ioredis' autoResubscribe).
    this.subscriber = this.commands.duplicate({
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      retryStrategy: FAIL_FAST.retryStrategy,
    });
    // A connection error is reported to callers as ERR_STORE_UNAVAILABLE; the event itself
    // only says ioredis is reconnecting (without a listener ioredis would print it).
    const quiet = () => {};
    this.subscriber.on('error', quiet);
    if (this.owned) this.commands.on('error', quiet);
    this.everReady = this.commands.status === 'ready';
    if (!this.everReady) this.commands.once('ready', () => (this.everReady = true));
  }

  /** Runs `command` on the command connection; Redis being away becomes ERR_STORE_UNAVAILABLE. */
  async call<T>(command: (redis: Redis) => Promise<T>): Promise<T> {
    if (this.closed) throw new ServerError('ERR_CLOSED', 'redisStore: the store is closed');
    if (this.commands.status !== 'ready') {
      // Before the first connection, wait a little (the store was just created); after it,
      // a lost connection fails at once: callers must not hang while Redis is down.
      if (this.everReady) throw unavailable(`connection ${this.commands.status}`);
      await this.firstReady();
    }
    try {
      return await command(this.commands);
    } catch (error) {
      if (isAnswer(error)) throw error;
      throw unavailable(error instanceof Error ? error.message : String(error));
    }
  }

  /** EVALSHA with a fallback to EVAL when Redis does not know the script (e.g. it restarted). */
  eval(script: string, keys: string[], args: Array<string | number>): Promise<unknown> {
    let sha = this.shas.get(script);
    if (!sha) {
      sha = createHash('sha1').update(script).digest('hex');
      this.shas.set(script, sha);
    }
    const digest = sha;
    return this.call(async (redis) => {
      try {
        return await redis.evalsha(digest, keys.length, ...keys, ...args);
      } catch (error) {
        if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
        return redis.eval(script, keys.length, ...keys, ...args);
      }
    });
  }

  /** Closes the connections this store opened (a client passed in stays open). */
  close(): void {
    this.closed = true;
    this.subscriber.disconnect();
    if (this.owned) this.commands.disconnect();
  }

  /** One wait shared by every caller (a listener each would pile up on a burst of calls). */
  private firstReady(): Promise<void> {
    this.connecting ??= this.waitReady().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private waitReady(): Promise<void> {
    if (this.commands.status === 'wait') void this.commands.connect().catch(() => {});
    return new Promise((resolve, reject) => {
      const done = (error?: ServerError) => {
        clearTimeout(timer);
        this.commands.off('ready', onReady);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => done();
      const timer = setTimeout(
        () => done(unavailable(`no connection within ${this.connectTimeout} ms`)),
        this.connectTimeout,
      );
      this.commands.on('ready', onReady);
    });
  }
}
