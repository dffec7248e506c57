// Helpers of the persist unit tests: a fresh fake IndexedDB per test (fake-indexeddb), and a
// small Web Locks manager (exclusive locks, `signal`, `query`) that can be installed as
// `navigator.locks`, so the tests can say which owners are alive.
import { IDBFactory } from 'fake-indexeddb';
import { vi } from 'vitest';

type Grant = () => unknown;

/** Exclusive Web Locks, enough for the persist store: `request(name, fn)` and `query()`. */
export class FakeLocks {
  readonly held = new Set<string>();
  private readonly _waiting = new Map<string, Grant[]>();

  request(
    name: string,
    ...args: [Grant] | [{ signal?: AbortSignal }, (lock: { name: string }) => unknown]
  ): Promise<unknown> {
    const fn = (args.length === 1 ? args[0] : args[1]) as (lock: { name: string }) => unknown;
    const signal = args.length === 2 ? args[0].signal : undefined;
    return new Promise((resolve, reject) => {
      // Released before the request settles: whatever its caller does next finds it free.
      const release = () => {
        this.held.delete(name);
        this._waiting.get(name)?.shift()?.();
      };
      const grant = () => {
        this.held.add(name);
        Promise.resolve()
          .then(() => fn({ name }))
          .then(
            (value) => {
              release();
              resolve(value);
            },
            (error) => {
              release();
              reject(error);
            },
          );
      };
      if (!this.held.has(name) && !this._waiting.get(name)?.length) return grant();
      this._waiting.set(name, [...(this._waiting.get(name) ?? []), grant]);
      // Aborted while waiting: it leaves the queue and rejects (as the Web Locks API does).
      signal?.addEventListener('abort', () => {
        const waiting = this._waiting.get(name) ?? [];
        if (!waiting.includes(grant)) return;
        this._waiting.set(
          name,
          waiting.filter((g) => g !== grant),
        );
        reject(new DOMException('aborted', 'AbortError'));
      });
    });
  }

  /** Requests waiting for a lock that is held (a leader waiting for an owner to go). */
  waiting(name: string): number {
    return this._waiting.get(name)?.length ?? 0;
  }

  async query(): Promise<{ held: Array<{ name: string }> }> {
    return { held: [...this.held].map((name) => ({ name })) };
  }

  /** Owner locks held now (one per live socket with persist). */
  owners(): string[] {
    return [...this.held].filter((name) => name.split(':').length > 2);
  }
}

/** Installs a fresh fake IndexedDB and fresh locks; returns the locks. */
export function freshStorage(): FakeLocks {
  const locks = new FakeLocks();
  vi.stubGlobal('indexedDB', new IDBFactory());
  Object.defineProperty(navigator, 'locks', { value: locks, configurable: true });
  sessionStorage.clear();
  return locks;
}

/** Resolves when `predicate` holds (polling on real timers), or rejects after `ms`. */
export async function until(predicate: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out: ${predicate}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Every raw [key, record] of the outbox database of `name`, read straight from IndexedDB. */
export async function rawRecords(name: string): Promise<Array<[IDBValidKey, unknown]>> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(`lifeline-persist:${name}`, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('outbox');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const rows: Array<[IDBValidKey, unknown]> = [];
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('outbox', 'readonly');
    const cursor = tx.objectStore('outbox').openCursor();
    cursor.onsuccess = () => {
      const c = cursor.result;
      if (!c) return;
      rows.push([c.key, c.value]);
      c.continue();
    };
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  return rows;
}

/**
 * Every entry of the outbox of `name` as [record key, { o, at, d, i?, y? }], in send order:
 * the entries of each batch record (v 2) one by one; any other record as it is.
 */
export async function outboxRecords(name: string): Promise<Array<[IDBValidKey, unknown]>> {
  return (await rawRecords(name)).flatMap(([key, value]) => {
    const frames = framesOf(value);
    if (!frames) return [[key, value] as [IDBValidKey, unknown]];
    const batch = value as {
      o?: string;
      t?: number | number[];
      q?: Array<[number, string, string]>;
    };
    return frames.map((d, k): [IDBValidKey, unknown] => {
      const at = Array.isArray(batch.t) ? batch.t[k] : batch.t;
      const request = batch.q?.find(([index]) => index === k);
      return [
        key,
        request ? { o: batch.o, at, d, i: request[1], y: request[2] } : { o: batch.o, at, d },
      ];
    });
  });
}

/** The frame of each entry the outbox `name` holds, in key order. */
export async function outboxFrames(name: string): Promise<unknown[]> {
  return (await outboxRecords(name)).map(([, entry]) => (entry as { d: unknown }).d);
}

/** The frames of a batch record (v 2): `d`, or `s` cut at the lengths `n`. */
export function framesOf(value: unknown): unknown[] | undefined {
  const batch = value as { v?: number; d?: unknown[]; s?: string; n?: ArrayLike<number> } | null;
  if (batch?.v !== 2) return undefined;
  if (Array.isArray(batch.d)) return batch.d;
  const frames: string[] = [];
  let at = 0;
  for (const length of Array.from(batch.n ?? [])) {
    frames.push(batch.s!.slice(at, at + length));
    at += length;
  }
  return frames;
}

/** The columns a batch of text frames is stored in: `s` end to end, `n` their lengths. */
export const text = (frames: string[]) => ({
  s: frames.join(''),
  n: Uint32Array.from(frames, (frame) => frame.length),
});

/** Writes raw `[key, value]` rows into the outbox of `name` (corrupt or foreign records). */
export async function writeRecords(
  name: string,
  rows: Array<[IDBValidKey, unknown]>,
): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(`lifeline-persist:${name}`, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('outbox');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('outbox', 'readwrite');
    for (const [key, value] of rows) tx.objectStore('outbox').put(value, key);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}
