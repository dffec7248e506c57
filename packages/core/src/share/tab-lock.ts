// Crashed-tab detection without extra traffic (DESIGN §11): each tab holds the Web Lock
// `<key>:tab:<id>` while it takes part, and names its transports `<id>.<n>`. A renderer that
// crashes loses its locks, so the leader's hub can ask `navigator.locks.query()` which tabs
// are gone and forget their subscriptions and requests.
import type { LockManagerLike } from './types';

export interface TabLock {
  /** This tab's id: the prefix of its transports' ids. */
  readonly _id: string;
  /** Asks for the lock; `current()` false when granted means this hold is over already. */
  _hold(current: () => boolean): void;
  /** Lets go of the lock (or of a later grant of the last `_hold`). */
  _free(): void;
  /**
   * Resolves with a test of whether a transport's tab still holds its lock (held or asked
   * for). A tab of an earlier build names its transports `0.<random>` and holds no tab lock:
   * it is never taken for dead.
   */
  _alive(): Promise<(transport: string) => boolean>;
}

export function tabLock(locks: LockManagerLike, key: string): TabLock {
  const prefix = `${key}:tab:`;
  const id = Math.random().toString(36).slice(2);
  let free: (() => void) | undefined;
  return {
    _id: id,
    _hold(current) {
      locks.request(prefix + id, {}, () =>
        current() ? new Promise<void>((resolve) => (free = resolve)) : undefined,
      );
    },
    _free: () => free?.(),
    _alive: () =>
      locks.query().then(({ held, pending }) => {
        const names = [...held, ...pending].map((lock) => lock.name);
        return (transport: string) => {
          const tab = transport.split('.')[0];
          return tab === '0' || names.includes(prefix + tab);
        };
      }),
  };
}
