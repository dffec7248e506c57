// Requests are at-least-once: a client resends an unanswered request, same id, after a
// reconnect, possibly to a handler that is still running. This cache makes each id execute
// once: a repeat shares the running execution or gets the remembered reply.
//
// No timers: finished replies sit in a Map in the order they finished, which with one fixed
// window is also the order they expire, so each lookup drops expired entries from the front.

/** What {@link ReplyStore.run} hands back. */
export interface CachedRun {
  /** The encoded reply. Never rejects. */
  reply: Promise<string>;
  /**
   * True when this call did not execute: it shares a running or finished execution. A shared
   * store only knows once it asked (a promise that never rejects).
   */
  shared: boolean | Promise<boolean>;
}

/**
 * Where replies are remembered by request id: in process memory (`ReplyCache`) by default,
 * or a shared one (Redis) so that a request resent to another node does not run again.
 */
export interface ReplyStore {
  /**
   * The reply for `id`: remembered, shared with a running execution, or `execute()`'s.
   * `refuse(message, code)` encodes an error reply for when the store itself cannot answer.
   */
  run(
    id: string,
    execute: () => Promise<string>,
    refuse?: (message: string, code: string) => string,
  ): CachedRun;
  /** Called by the server's `close()`: forget or stop waiting; no new runs follow. */
  close(): void;
}

/** A stream store that also keeps request replies (a shared one, so dedupe spans nodes). */
export interface ReplyStoreProvider {
  replyStore(window: number): ReplyStore;
}

/** True when `store` offers a shared {@link ReplyStore} for the server to use. */
export function providesReplies(store: object): store is ReplyStoreProvider {
  return typeof (store as Partial<ReplyStoreProvider>).replyStore === 'function';
}

/** Replies by request id, kept `window` ms after they finished, in this process. */
export class ReplyCache implements ReplyStore {
  private readonly running = new Map<string, Promise<string>>();
  private readonly finished = new Map<string, { reply: string; expires: number }>();
  private closed = false;

  constructor(
    private readonly window: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The reply for `id`: the remembered one, the running execution's, or `execute()`'s.
   * `execute` must encode failures as a reply rather than reject.
   */
  run(id: string, execute: () => Promise<string>): CachedRun & { shared: boolean } {
    this.dropExpired();
    const done = this.finished.get(id);
    if (done) return { reply: Promise.resolve(done.reply), shared: true };
    const pending = this.running.get(id);
    if (pending) return { reply: pending, shared: true };

    const reply = execute();
    if (this.closed) return { reply, shared: false };
    this.running.set(id, reply);
    const settle = (text: string | undefined) => {
      if (this.running.get(id) !== reply) return; // cleared by close() meanwhile
      this.running.delete(id);
      if (text !== undefined && this.window > 0) {
        this.finished.set(id, { reply: text, expires: this.now() + this.window });
      }
    };
    reply.then(settle, () => settle(undefined));
    return { reply, shared: false };
  }

  /** Ids remembered or running. */
  get size(): number {
    this.dropExpired();
    return this.running.size + this.finished.size;
  }

  /** Forgets everything and remembers nothing more. */
  close(): void {
    this.closed = true;
    this.running.clear();
    this.finished.clear();
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [id, entry] of this.finished) {
      if (entry.expires > now) break;
      this.finished.delete(id);
    }
  }
}
