// A LockManager with Web Locks semantics for one process (a queue per name, release when the
// callback's promise settles, `steal`, `signal`), for unit tests of `share` outside a browser.
// Every socket of a test shares one instance, like the tabs of one origin share a browser's.

type Request = {
  callback: () => Promise<void> | undefined;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
};

export class FakeLocks {
  readonly held = new Map<string, Request>();
  readonly queues = new Map<string, Request[]>();

  request(
    name: string,
    options: { steal?: boolean; signal?: AbortSignal },
    callback: () => Promise<void> | undefined,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req: Request = { callback, resolve, reject };
      const queue = this.queue(name);
      options.signal?.addEventListener('abort', () => {
        const i = queue.indexOf(req);
        if (i >= 0) {
          queue.splice(i, 1);
          reject(new DOMException('aborted', 'AbortError'));
        }
      });
      const holder = this.held.get(name);
      if (options.steal && holder) {
        holder.reject(new DOMException('stolen', 'AbortError'));
        this.held.delete(name);
      }
      queue.push(req);
      this.grant(name);
    });
  }

  /** A snapshot, like `navigator.locks.query()`: the names held and asked for. */
  async query(): Promise<{ held: Array<{ name: string }>; pending: Array<{ name: string }> }> {
    return {
      held: [...this.held.keys()].map((name) => ({ name })),
      pending: [...this.queues].flatMap(([name, queue]) => queue.map(() => ({ name }))),
    };
  }

  queue(name: string): Request[] {
    const queue = this.queues.get(name) ?? [];
    this.queues.set(name, queue);
    return queue;
  }

  private grant(name: string): void {
    if (this.held.has(name)) return;
    const next = this.queue(name).shift();
    if (!next) return;
    this.held.set(name, next);
    // Like a browser, the callback runs later, never inside `request()`.
    Promise.resolve()
      .then(() => next.callback())
      .then((v) => {
        if (this.held.get(name) !== next) return; // stolen meanwhile
        this.held.delete(name);
        next.resolve(v);
        this.grant(name);
      });
  }
}

/** Gives `navigator` the fake `locks` until the returned function restores it. */
export function installLocks(locks: FakeLocks): () => void {
  const before = Object.getOwnPropertyDescriptor(navigator, 'locks');
  Object.defineProperty(navigator, 'locks', { value: locks, configurable: true });
  return () => {
    if (before) Object.defineProperty(navigator, 'locks', before);
    else delete (navigator as { locks?: unknown }).locks;
  };
}
