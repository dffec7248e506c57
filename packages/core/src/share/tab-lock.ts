// Crashed-tab detection without extra traffic (DESIGN §11): each tab holds the Web Lock
// `<key>:tab:<id>` while it takes part (session.ts asks for it on joining and lets go on
// leaving), and names its transports `<id>.<n>`. A renderer that crashes loses its locks, so
// the leader's hub can ask `navigator.locks.query()` which tabs are gone and forget their
// subscriptions and requests.
import type { LockManagerLike } from './types';

/**
 * Resolves with a test of whether a transport's tab still holds its lock (held or asked for).
 * A tab of an earlier build names its transports `0.<random>` and holds no tab lock: it is
 * never taken for dead.
 */
export const tabsAlive = (locks: LockManagerLike, key: string) =>
  locks.query().then(({ held, pending }) => {
    const names = [...held, ...pending].map((lock) => lock.name);
    return (transport: string) => {
      const tab = transport.split('.')[0];
      return tab === '0' || names.includes(`${key}:tab:${tab}`);
    };
  });
