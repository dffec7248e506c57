// The `persist` option (DESIGN §10): validated like every other option, and turned into the
// options the socket underneath runs with.
import { DEV } from '../dev';
import { invalid, option, type QueueOptions } from '../options';

/** Keep what waits to be sent, and stream positions, across reloads and crashes. */
export interface PersistOptions {
  /**
   * Names the durable outbox: a socket made later (after a reload, or in another tab) with
   * the same name sends what an earlier one could not. One name per logical connection.
   */
  name: string;
  /** Entries older than this (ms) are dropped with `drop` reason `'expired'`. @defaultValue 86400000 (24 h) */
  maxAge?: number;
}

/** The options `persist` reads (a `SocketOptions`). */
interface Given {
  persist?: PersistOptions;
  queue?: QueueOptions | boolean;
  autoConnect?: boolean;
}

/** The persist settings with defaults filled in. */
export interface PersistSettings {
  name: string;
  maxAge: number;
}

/**
 * Validates `options.persist`; `undefined` when it is not set.
 * @throws LifelineError `ERR_INVALID_OPTION`
 */
export function resolvePersist(options: Given | undefined): PersistSettings | undefined {
  const p = options?.persist;
  if (p === undefined) return undefined;
  // The second check covers the first in production builds, with a vaguer message.
  if (DEV && (typeof p !== 'object' || p === null))
    throw invalid('persist', p, 'expected { name, maxAge? }');
  if (typeof p?.name !== 'string' || p.name === '')
    throw invalid('persist.name', p?.name, DEV ? 'expected a non-empty string' : '');
  // The outbox is the queue made durable: without a queue there is nothing to keep.
  if (options?.queue === false)
    throw invalid('queue', false, DEV ? 'persist needs the queue; remove queue: false' : '');
  return { name: p.name, maxAge: option('persist.maxAge', p.maxAge, 86400000) };
}

/**
 * What the socket underneath is made with: no automatic first attempt (the outbox restores
 * first, so what waited goes out before anything new), and a queue whose `maxAge` is
 * `persist.maxAge` unless `queue.maxAge` is given: restored entries carry their age, so the
 * queue drops those too old with `drop` reason `'expired'`, as it does any stale message.
 */
export function underlying<O extends Given>(options: O, { maxAge }: PersistSettings): O {
  const q = options.queue;
  // A `queue.maxAge` given explicitly wins; anything invalid is left for the socket to name.
  const queue =
    q === undefined || q === true ? { maxAge } : typeof q === 'object' && q ? { maxAge, ...q } : q;
  return { ...options, autoConnect: false, queue };
}
