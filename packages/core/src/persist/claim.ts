// Taking over what gone socket instances left (DESIGN §10, §11). Each instance holds the Web
// Lock `lifeline-persist:<name>:<owner>` while it lives; a record whose owner's lock is free
// was left behind. Who may take it: without `share` (or with `role: 'solo'`), any instance;
// with it, the leader takes what any gone instance left, a follower only what earlier pages
// of its own tab left (owners are `<tab>.<instance>`, tab.ts). A claim reports the live
// owners whose records it left (`alive`): the leader waits for them to go (store.ts).
import type { Role } from '../types';
import { batch, type Entry, readRecord, recordOf } from './record';

export const STORE = 'outbox';

/** What a start found: entries now ours, in send order, and how many were unreadable (deleted). */
export interface Claimed {
  entries: Entry[];
  corrupt: number;
}

/** A claim's result. */
export interface ClaimResult extends Claimed {
  /** The newest key time seen. */
  last: number;
}

/**
 * Under the claim lock `lock` (held by the caller): takes for `owner` every record whose
 * owner is gone and `role` may take (rewrites it with its new owner, without what is
 * unreadable), and deletes what holds nothing sendable; `alive` is told the lock of each
 * other live owner whose records it could take once that owner is gone. Expired entries
 * are taken too: the queue drops them, reported, like any message too old to send.
 */
export async function claim(
  db: IDBDatabase,
  lock: string,
  owner: string,
  role: Role | undefined,
  alive: (lock: string) => void,
): Promise<ClaimResult> {
  const held = new Set((await navigator.locks.query()).held?.map((l) => l.name));
  const tab = owner.slice(0, owner.indexOf('.') + 1);
  const found: ClaimResult = { entries: [], corrupt: 0, last: 0 };
  /** Whether to leave a record of `o` alone: not ours to take, or its owner lives. */
  const leave = (o: unknown) => {
    if (role === 'follower' && !(typeof o === 'string' && o.startsWith(tab))) return true;
    const name = `${lock}:${o}`;
    if (!held.has(name)) return false;
    if (o !== owner) alive(name);
    return true;
  };
  const tx = db.transaction(STORE, 'readwrite');
  const cursor = tx.objectStore(STORE).openCursor();
  cursor.onsuccess = () => {
    const c = cursor.result;
    if (!c) return;
    // Keys are [time, owner, n]; anything else counts as time 0.
    found.last = Math.max(found.last, +(c.key as number[])[0]! || 0);
    const read = readRecord(c.value);
    // A live owner's record is left alone, corrupt entries too: it rewrites them itself.
    if (read.entries.length > 0 && leave(read.owner)) return c.continue();
    found.corrupt += read.bad;
    if (read.entries.length === 0) c.delete();
    else {
      const b = batch(0, c.key);
      const entries = read.entries.map((r): Entry => ({ r, b }));
      b._items = entries;
      c.update(recordOf(owner, b));
      found.entries.push(...entries);
    }
    c.continue();
  };
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(found);
    tx.onabort = () => reject(tx.error);
  });
}
