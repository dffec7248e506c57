// The durable outbox: one IndexedDB database per `persist.name`, shared by the tabs of the
// origin. Each socket instance holds a Web Lock of its own while it lives; an entry belongs
// to the instance that wrote or claimed it, so another tab takes it over only once that lock
// is gone (the tab closed, reloaded or crashed). Claims run under one lock per name, so two
// tabs starting together never both take an entry. Writes go out at once (`send()` stays
// synchronous) into the transaction of the current task: one transaction per task at most.
import { type DurableRecord, isRecord } from './record';

const STORE = 'outbox';

/** An outbox entry: its record and, once written, its key (`gone` once sent or dropped). */
export interface Entry {
  r: DurableRecord;
  k?: IDBValidKey;
  gone?: boolean;
}

/** What a start found: entries now ours, in send order, and how many were unreadable (deleted). */
export interface Claimed {
  entries: Entry[];
  corrupt: number;
}

const openDb = (name: string): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

/**
 * Takes every entry whose owner is not `alive` (rewrites its owner), and deletes what is not
 * a record of ours. `last` is the newest key time seen. Expired entries are taken too: the
 * queue drops them, reported, like any message too old to send.
 */
function claim(
  db: IDBDatabase,
  alive: (owner: string) => boolean,
  owner: string,
): Promise<Claimed & { last: number }> {
  const found = { entries: [] as Entry[], corrupt: 0, last: 0 };
  const tx = db.transaction(STORE, 'readwrite');
  const cursor = tx.objectStore(STORE).openCursor();
  cursor.onsuccess = () => {
    const c = cursor.result;
    if (!c) return;
    const r: unknown = c.value;
    const k = c.key;
    // Keys are [time, owner, n]; anything else counts as time 0.
    found.last = Math.max(found.last, +(k as number[])[0]! || 0);
    if (!isRecord(r)) {
      found.corrupt++;
      c.delete();
    } else if (!alive(r.o)) {
      r.o = owner;
      c.update(r);
      found.entries.push({ r, k });
    }
    c.continue();
  };
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(found);
    tx.onabort = () => reject(tx.error);
  });
}

/** The outbox of one socket instance. Failures are reported once through `fail`. */
export class DurableStore {
  /** Set once the claim is done: writes wait for it, so they carry a held owner lock. */
  private _db: IDBDatabase | undefined;
  /** Writes made before the claim was done, replayed in order once it is. */
  private _early: Array<(store: IDBObjectStore) => void> | undefined = [];
  /** The transaction of the current task, while it takes more requests. */
  private _tx: IDBTransaction | undefined;
  private _release: (() => void) | undefined;
  private _closed = false;
  /** Keys are [time, owner, n]: later than every key already stored, in send order. */
  private _t = 0;
  private _n = 0;

  constructor(
    /** The `persist.name`. */
    readonly name: string,
    private readonly _owner: string,
    /** Told of the first failure; unset after it, which stops every later write. */
    private _fail: ((error: unknown) => void) | undefined,
  ) {}

  /**
   * Opens the database, takes this instance's lock and claims what instances that are gone
   * left behind. `undefined` when storage is unavailable (reported through `fail`).
   */
  async open(): Promise<Claimed | undefined> {
    let db: IDBDatabase | undefined;
    try {
      const locks = navigator.locks;
      const lock = `lifeline-persist:${this.name}`;
      // Held for the life of this instance: to other tabs it means "these entries are taken".
      await new Promise<void>((granted, reject) => {
        locks
          .request(`${lock}:${this._owner}`, () => {
            granted();
            return new Promise<void>((r) => (this._release = r));
          })
          .catch(reject);
      });
      db = await openDb(lock);
      const found = await locks.request(lock, async () => {
        const held = new Set((await locks.query()).held?.map((l) => l.name));
        return claim(db!, (o) => held.has(`${lock}:${o}`), this._owner);
      });
      this._t = Math.max(Date.now(), found.last + 1);
      this._db = db;
      const early = this._early!;
      this._early = undefined;
      for (const write of early) this._write(write);
      return found;
    } catch (error) {
      db?.close();
      this._failNow(error);
      return undefined;
    } finally {
      if (this._closed) this._shut();
    }
  }

  /** Adds a record to the outbox, stamped with the wall-clock time. */
  add(fields: Pick<DurableRecord, 'd' | 'i' | 'y'>): Entry {
    const entry: Entry = { r: { v: 1, o: this._owner, at: Date.now(), ...fields } };
    this._write((store) => {
      if (entry.gone) return;
      entry.k = [this._t, this._owner, ++this._n];
      store.put(entry.r, entry.k);
    });
    return entry;
  }

  /** Deletes an entry (sent, answered or dropped); one not written yet is never written. */
  remove(entry: Entry): void {
    const key = entry.k; // an array: never falsy once written
    if (!entry.gone && key) this._write((store) => store.delete(key));
    entry.gone = true;
  }

  /** Lets go: what is left is for the next instance of the name. */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    if (!this._early) this._shut(); // else the open in progress finishes the job
  }

  private _shut(): void {
    // Transactions under way still complete; later writes fail, unreported, on the closed database.
    this._db?.close();
    this._release?.();
  }

  /** Runs `write` in this task's transaction, made on the first write of the task. */
  private _write(write: (store: IDBObjectStore) => void): void {
    if (this._early) return void this._early.push(write);
    const db = this._db;
    if (!db || !this._fail) return;
    try {
      // Throws once the task that made the transaction is over (TransactionInactiveError).
      write(this._tx!.objectStore(STORE));
    } catch {
      try {
        const tx = db.transaction(STORE, 'readwrite');
        tx.onabort = () => this._failNow(tx.error); // quota, disk, a closed database
        this._tx = tx;
        write(tx.objectStore(STORE));
      } catch (error) {
        this._failNow(error);
      }
    }
  }

  private _failNow(error: unknown): void {
    this._early = undefined;
    this._fail?.(error);
    this._fail = undefined;
  }
}
