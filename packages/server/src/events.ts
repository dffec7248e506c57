// The server's event listeners. A listener that throws (or returns a rejected promise) must not
// stop the other listeners or reach the code that emitted: its error goes to `report`.

// biome-ignore lint/suspicious/noExplicitAny: listener argument lists vary per event
type AnyListener = (...args: any[]) => unknown;

/** Listeners by event name, called in a way that isolates their failures. */
export class SafeEvents<Events extends { [K in keyof Events]: unknown[] }> {
  private readonly listeners = new Map<keyof Events, Set<AnyListener>>();

  constructor(private readonly report: (error: unknown) => void) {}

  on<K extends keyof Events>(name: K, listener: (...args: Events[K]) => unknown): void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener);
  }

  off<K extends keyof Events>(name: K, listener: (...args: Events[K]) => unknown): void {
    this.listeners.get(name)?.delete(listener);
  }

  has(name: keyof Events): boolean {
    return (this.listeners.get(name)?.size ?? 0) > 0;
  }

  /** Calls every listener of `name`; failures go to `report`, never to the caller. */
  emit<K extends keyof Events>(name: K, ...args: Events[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    // A copy: a listener may add or remove listeners while we iterate.
    for (const listener of [...set]) {
      try {
        const result = listener(...args);
        if (result instanceof Promise) result.catch(this.report);
      } catch (error) {
        this.report(error);
      }
    }
  }

  /** Like `emit`, but a failing listener is ignored: for `error` listeners, which have nowhere left to report to. */
  emitUnreported<K extends keyof Events>(name: K, ...args: Events[K]): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) {
      try {
        const result = listener(...args);
        if (result instanceof Promise) result.catch(() => {});
      } catch {
        // deliberately ignored
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
