// Server-rendering tests must open nothing and read no browser global. These traps replace the
// globals with getters that record every read, even one without `typeof`.

const TRAPPED = ['window', 'document', 'navigator', 'location', 'WebSocket'] as const;

/** Which trapped globals were read since `arm()`, and how to put the real ones back. */
export interface GlobalTraps {
  /** The names read since the traps were armed, in order, repeats included. */
  readonly touched: string[];
  arm(): void;
  restore(): void;
}

export function browserGlobalTraps(): GlobalTraps {
  const saved = new Map<string, PropertyDescriptor | undefined>();
  const traps: GlobalTraps = {
    touched: [],
    arm() {
      traps.touched.length = 0;
      for (const name of TRAPPED) {
        saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
        Object.defineProperty(globalThis, name, {
          configurable: true,
          get() {
            traps.touched.push(name);
            return undefined;
          },
        });
      }
    },
    restore() {
      for (const name of TRAPPED) {
        const descriptor = saved.get(name);
        if (descriptor) Object.defineProperty(globalThis, name, descriptor);
        else delete (globalThis as Record<string, unknown>)[name];
      }
    },
  };
  return traps;
}

/** A WebSocket stand-in that records the URL of every construction. */
export function recordingWebSocket() {
  const created: string[] = [];
  const Constructor = ((url: string) => {
    created.push(url);
  }) as unknown as typeof globalThis.WebSocket;
  return { created, Constructor };
}
