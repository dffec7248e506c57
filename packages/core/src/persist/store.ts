// The durable outbox: one IndexedDB database per `persist.name`, shared by the tabs of the
// origin. Each socket instance holds a Web Lock of its own while it lives; a record belongs
// to the instance that wrote or claimed it, so another tab takes it over only once that lock
// is gone (the tab closed, reloaded or crashed), and only if its role lets it (claim.ts).
// Claims run under one lock per name, so two tabs starting together never both take a
// record.
//
// `send()` stays synchronous: an entry joins the batch of the current task, and a microtask
// at the end of the task writes it as ONE record, in one transaction, with the removals of the
// task (a batch left empty is deleted, one with entries gone is rewritten). One put per task
// instead of one per message keeps persist's cost low in a burst; so does `keep`, the path of
// a queued send: the queue's message is the entry as it is (a field added to it would cost an
// allocation), and a batch is listed for writing once, not once per send.
import type { QueuedMessage, SendData } from '../queue';
import type { Role } from '../types';
import { type Claimed, type ClaimResult, claim, STORE } from './claim';
import { OwnerWatch } from './owners';
import { type Batch, batch, type Entry, live, recordOf } from './record';

export type { Claimed } from './claim';

const openDb = (name: string): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

/** The outbox of one socket instance. Failures are reported once through `fail`. */
export class DurableStore {
  /** Set once the claim is done: writes wait for it, so they carry a held owner lock. */
  private _db: IDBDatabase | undefined;
  private _opening = true;
  /** The batch of the current task, not written yet. */
  private _batch: Batch | undefined;
  /** Batches to write: new ones, and written ones that lost entries since (each once). */
  private _writes: Batch[] = [];
  /** Batches with messages `keep` added that are still queued, oldest first. */
  private _kept: Batch[] = [];
  private _flushing = false;
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
    /** With `share`: this tab's role, read at each claim (what it may take, claim.ts). */
    private readonly _role?: () => Role | undefined,
  ) {
    this._lock = `lifeline-persist:${name}`;
    if (_role)
      this._owners = new OwnerWatch(
        this._lock,
        () => _role() === 'leader',
        () => this.onGone?.(),
      );
  }

  /** `lifeline-persist:<name>`: the database, the claim lock, and each owner lock's prefix. */
  private readonly _lock: string;

  /** The leader's claims wait for live owners to go: then this is called (to claim again). */
  onGone: (() => void) | undefined;
  /** With `share`: the owners the leader waits for (owners.ts). */
  private readonly _owners: OwnerWatch | undefined;

  /**
   * Opens the database, takes this instance's lock and claims what instances that are gone
   * left behind. `undefined` when storage is unavailable (reported through `fail`).
   */
  async open(): Promise<Claimed | undefined> {
    let db: IDBDatabase | undefined;
    try {
      const locks = navigator.locks;
      const lock = this._lock;
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
      const found = await this._claim(db);
      this._t = Math.max(Date.now(), found.last + 1);
      this._db = db;
      this._opening = false;
      this._flush(); // what was added while opening, as one batch
      return found;
    } catch (error) {
      db?.close();
      this._failNow(error);
      return undefined;
    } finally {
      this._opening = false;
      if (this._closed) this._shut();
    }
  }

  /**
   * Claims again: takes over what instances gone since the open left behind (another tab of
   * the name closed). `undefined` when the store is not open (or failed, reported once).
   */
  async adopt(): Promise<Claimed | undefined> {
    const db = this._db;
    if (!db || !this._fail) return undefined;
    try {
      return await this._claim(db);
    } catch (error) {
      if (this._db) this._failNow(error); // else closed meanwhile: nothing to report
      return undefined;
    }
  }

  /** Claims under the lock of the name, so two instances never take the same record. */
  private async _claim(db: IDBDatabase): Promise<ClaimResult> {
    const lock = this._lock;
    const role = this._role?.();
    return await navigator.locks.request(lock, () =>
      claim(db, lock, this._owner, role, (name) => {
        if (role === 'leader') this._owners?._watch(name);
      }),
    );
  }

  /**
   * Adds an entry (a request's when `id` and `type` are given) to the batch of this task,
   * stamped with the wall-clock time the batch began (one task: the same moment).
   */
  add(data: SendData, id?: string, type?: string): Entry {
    const b = this._current();
    const at = b?.at ?? Date.now();
    const entry: Entry = {
      r: { at, d: data, i: id, y: type }, // a plain message's `i` is undefined
      b: b ?? batch(at),
    };
    b?._items.push(entry); // else failed or closed: the entry lives in memory only
    return entry;
  }

  /**
   * Adds a queued message to the batch of this task as it is, nothing added to it: the path
   * of every queued `send()`. Ignored when failed or closed: it lives in memory only.
   */
  keep(message: QueuedMessage): void {
    const b = this._current();
    if (!b) return;
    if (b._left++ === 0) this._kept.push(b);
    b._items.push(message);
  }

  /** Deletes an entry (sent, answered or dropped); one not written yet is never written. */
  remove(entry: Entry): void {
    if (entry._gone) return;
    entry._gone = true;
    this._thinned(entry.b);
  }

  /** `remove` for a message `keep` added (others are ignored): sent or dropped. */
  release(message: QueuedMessage): void {
    const kept = this._kept;
    // Found in O(1) in the usual cases: messages are sent (and dropped by 'drop-oldest' or
    // expiry) oldest first, at the head of the oldest batch; a send refused by a full queue
    // ('drop-newest') is the newest, at the end of the newest batch.
    const newest = kept[kept.length - 1];
    const last = newest ? newest._items.length - 1 : -1;
    if (newest?._items[last] === message) return this._released(kept.length - 1, last);
    for (let j = 0; j < kept.length; j++) {
      const k = kept[j]!._items.indexOf(message, kept[j]!._next);
      if (k >= 0) return this._released(j, k);
    }
  }

  /** Item `k` of kept batch `j` left the queue. */
  private _released(j: number, k: number): void {
    const b = this._kept[j]!;
    b._items[k] = undefined;
    if (k === b._next) b._next++;
    if (--b._left === 0) this._kept.splice(j, 1);
    this._thinned(b);
  }

  /** Lets go, writing what this task added or removed: the rest is for the next instance. */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    if (this._opening) return; // the open in progress finishes the job
    this._flush();
    this._shut();
  }

  private _shut(): void {
    // Transactions under way still complete; nothing is written after this.
    this._db?.close();
    this._db = undefined;
    this._kept = [];
    this._owners?._close();
    this._release?.();
  }

  /** The batch of this task (made, and listed for writing, by its first entry), if writing. */
  private _current(): Batch | undefined {
    if (this._batch) return this._batch;
    if (!this._fail || (this._closed && !this._opening)) return undefined;
    const b = batch(Date.now());
    b._dirty = true;
    this._batch = b;
    this._writes.push(b); // a new batch is written with the others
    this._schedule();
    return b;
  }

  private _thinned(b: Batch): void {
    b._gone++;
    // Unwritten: its write leaves the entry out (it is listed already, or failed or closed).
    if (b.k === undefined || !this._db || b._dirty) return;
    b._dirty = true;
    this._writes.push(b);
    this._schedule();
  }

  private _schedule(): void {
    if (this._flushing) return;
    this._flushing = true;
    // The end of the task's script: every send of a synchronous burst is in by then, and the
    // transaction made now is still this task's.
    queueMicrotask(() => this._flush());
  }

  /** Writes this task's batch and rewrites (or deletes) the batches that lost entries. */
  private _flush(): void {
    if (this._opening) return; // `open` flushes once the claim is done
    this._flushing = false;
    this._batch = undefined;
    const dirty = this._writes;
    this._writes = [];
    let added = false;
    for (const b of dirty) {
      b._dirty = false;
      if (b._gone > 0) b._items = b._items.filter(live);
      b._gone = b._next = 0; // every item left is live: the oldest kept one is from 0 on
      if (b._items.length > 0 && !b.k) {
        b.k = [this._t, this._owner, ++this._n];
        added = true;
      }
    }
    const db = this._db;
    // Failed or closed: memory only from here. Nothing to write: no transaction.
    if (!db || !this._fail || !dirty.some((b) => b.k)) return;
    const write = (store: IDBObjectStore) => {
      for (const b of dirty)
        if (b._items.length > 0) store.put(recordOf(this._owner, b), b.k);
        else if (b.k) store.delete(b.k);
    };
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
        return this._failNow(error);
      }
    }
    // A leader that claimed before this instance began learns of it here (owners.ts).
    if (added) this._owners?._wrote(`${this._lock}:${this._owner}`);
  }

  private _failNow(error: unknown): void {
    this._batch = undefined;
    this._writes = [];
    this._kept = [];
    this._fail?.(error);
    this._fail = undefined;
  }
}
