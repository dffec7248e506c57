// Request dedupe shared by every node through Redis. The first node to see a request id claims
// it (a key set only if absent, with a short TTL that its heartbeat keeps extending while the
// handler runs), runs the handler and stores the reply under the same key for `window` ms. A
// node that sees the id while it is claimed elsewhere polls the key until the reply is there;
// if the claim lapses (its node died mid-run), it claims the id itself and runs the handler.
import type { CachedRun, ReplyStore } from '../dedupe';
import type { RedisConnections } from './client';
import { CLAIM, REFRESH } from './scripts';

/** How a {@link RedisReplyStore} reaches Redis and how long things last. */
export interface RedisReplyOptions {
  redis: RedisConnections;
  /** The Redis key of request `id`. */
  keyOf(id: string): string;
  /** ms a reply is remembered (the server's dedupeWindow). */
  window: number;
  /** ms a claim lives without a heartbeat: how soon another node takes over a dead node's run. */
  claimTtl: number;
  /** Identifies this node's claims. */
  owner: string;
}

type Refuse = (message: string, code: string) => string;

const FIRST_POLL = 10;
const MAX_POLL = 200;

export class RedisReplyStore implements ReplyStore {
  /** Runs and waits on this node, so a repeat here shares them without asking Redis. */
  private readonly running = new Map<string, Promise<string>>();
  private readonly heartbeats = new Set<ReturnType<typeof setInterval>>();
  private readonly sleepers = new Set<() => void>();
  private closed = false;

  constructor(private readonly options: RedisReplyOptions) {}

  run(id: string, execute: () => Promise<string>, refuse?: Refuse): CachedRun {
    const local = this.running.get(id);
    if (local) return { reply: local, shared: true };
    let decided!: (shared: boolean) => void;
    const shared = new Promise<boolean>((resolve) => {
      decided = resolve;
    });
    const fail: Refuse = refuse ?? ((message) => JSON.stringify({ error: { message } }));
    const reply = this.resolve(id, execute, fail, decided);
    this.running.set(id, reply);
    void reply.then(() => {
      if (this.running.get(id) === reply) this.running.delete(id);
    });
    return { reply, shared };
  }

  /** Stops waiting for other nodes' replies; runs of this node finish and store theirs. */
  close(): void {
    this.closed = true;
    for (const wake of [...this.sleepers]) wake();
  }

  /** Resolves once this node's runs have finished (or after `timeoutMs`), then stops heartbeats. */
  async settle(timeoutMs: number): Promise<void> {
    this.close();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all([...this.running.values()]), timeout]);
    clearTimeout(timer);
    for (const heartbeat of this.heartbeats) clearInterval(heartbeat);
    this.heartbeats.clear();
  }

  private async resolve(
    id: string,
    execute: () => Promise<string>,
    refuse: Refuse,
    decided: (shared: boolean) => void,
  ): Promise<string> {
    const { redis, keyOf, window, claimTtl, owner } = this.options;
    const key = keyOf(id);
    const deadline = performance.now() + Math.max(window, 2 * claimTtl);
    let poll = FIRST_POLL;
    for (;;) {
      let seen: unknown;
      try {
        seen = await redis.eval(CLAIM, [key], [owner, claimTtl]);
      } catch (error) {
        // Without the shared record this node cannot know whether another ran it: refusing
        // keeps "never twice"; the client may send it again.
        decided(false);
        return refuse(
          `The request could not be checked for repeats (${(error as Error).message})`,
          'STORE_UNAVAILABLE',
        );
      }
      if (typeof seen !== 'string') {
        decided(false);
        return this.runClaimed(key, execute, refuse);
      }
      decided(true);
      if (seen.startsWith('d')) return seen.slice(1);
      if (this.closed) return refuse('The server is closing', 'SERVER_CLOSING');
      if (performance.now() > deadline) {
        return refuse('The request is still running on another server node', 'TIMEOUT');
      }
      await this.sleep(poll);
      poll = Math.min(poll * 2, MAX_POLL);
    }
  }

  private async runClaimed(
    key: string,
    execute: () => Promise<string>,
    refuse: Refuse,
  ): Promise<string> {
    const { redis, window, claimTtl, owner } = this.options;
    const heartbeat = setInterval(
      () => void redis.eval(REFRESH, [key], [owner, claimTtl]).catch(() => {}),
      Math.max(1, Math.floor(claimTtl / 3)),
    );
    this.heartbeats.add(heartbeat);
    let text: string;
    try {
      text = await execute();
    } catch (error) {
      // execute() encodes failures itself; this is a last guard against a rejected reply.
      text = refuse(String((error as Error)?.message ?? error), 'INTERNAL');
    } finally {
      clearInterval(heartbeat);
      this.heartbeats.delete(heartbeat);
    }
    // Stored before it is sent: a reply a client has seen is one every node can hand out.
    // When Redis is away the client still gets it; a resend after its claim lapses runs again.
    const store =
      window > 0
        ? redis.call((r) => r.set(key, `d${text}`, 'PX', Math.ceil(window)))
        : redis.call((r) => r.del(key));
    await store.catch(() => {});
    return text;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}
