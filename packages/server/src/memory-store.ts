// The default store: each stream's recent messages in process memory. History does not survive
// a restart, so every stream gets a random epoch per store instance: a client resuming with a
// position from before the restart sees another epoch and resyncs instead of trusting old seqs.
import { randomUUID } from 'node:crypto';
import { ServerError } from './errors';
import { compareSeq, nextSeq } from './seq';
import type { Position, ReadResult, StreamMessage, StreamStore } from './store';
import { positiveInteger } from './store-options';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** Messages kept per stream; older ones are dropped first. Default 1000. */
  maxPerStream?: number;
  /** Milliseconds a message is kept. Default 120000. */
  maxAge?: number;
  /** Milliseconds from a monotonic clock; tests inject one. Default `performance.now`. */
  now?: () => number;
}

interface Retained {
  message: StreamMessage;
  at: number;
}

interface StreamLog {
  epoch: string;
  head: string;
  /** Oldest first. `retained[0]` is the oldest message a resume can still start after. */
  retained: Retained[];
}

/**
 * A {@link StreamStore} in process memory: per stream, the last `maxPerStream` messages that
 * are younger than `maxAge` ms. Listeners are called synchronously after each append. Right
 * for one server process; use a shared store for several.
 *
 * @example
 * const server = createServer({ port: 8080, store: memoryStore({ maxPerStream: 5000 }) });
 */
export function memoryStore(options: MemoryStoreOptions = {}): StreamStore {
  const maxPerStream = positiveInteger('memoryStore', 'maxPerStream', options.maxPerStream, 1000);
  const maxAge = positiveInteger('memoryStore', 'maxAge', options.maxAge, 120_000);
  const now = options.now ?? (() => performance.now());
  if (typeof now !== 'function') {
    throw new ServerError('ERR_INVALID_OPTION', 'memoryStore: now must be a function');
  }
  const logs = new Map<string, StreamLog>();
  const listeners = new Set<(message: StreamMessage) => void>();
  let closed = false;

  const logOf = (stream: string): StreamLog => {
    let log = logs.get(stream);
    if (!log) {
      log = { epoch: randomUUID(), head: '0', retained: [] };
      logs.set(stream, log);
    }
    return log;
  };

  // Age is trimmed lazily, on every read and append: no timer to own or clear.
  const trim = (log: StreamLog) => {
    const oldest = now() - maxAge;
    let drop = Math.max(0, log.retained.length - maxPerStream);
    while (drop < log.retained.length && log.retained[drop]!.at <= oldest) drop++;
    if (drop > 0) log.retained.splice(0, drop);
  };

  const ensureOpen = () => {
    if (closed) throw new ServerError('ERR_CLOSED', 'memoryStore: the store is closed');
  };

  return {
    async append(stream, type, data) {
      ensureOpen();
      const log = logOf(stream);
      log.head = nextSeq(log.head);
      const message: StreamMessage = { stream, type, epoch: log.epoch, seq: log.head, data };
      log.retained.push({ message, at: now() });
      trim(log);
      // A copy: a listener may unsubscribe (or subscribe) while we iterate.
      for (const listener of [...listeners]) listener(message);
      return message;
    },

    async head(stream) {
      ensureOpen();
      const log = logOf(stream);
      return { epoch: log.epoch, seq: log.head };
    },

    async readSince(stream, since: Position | undefined): Promise<ReadResult> {
      ensureOpen();
      const log = logOf(stream);
      trim(log);
      const result = { epoch: log.epoch, head: log.head };
      if (since === undefined) return { ...result, recovered: true, messages: [] };
      // Resumable when every message after `since` is still here: `since` is at most the head,
      // and no younger than one before the oldest retained message (head + 1 when none is).
      const first = log.retained[0]?.message.seq ?? nextSeq(log.head);
      const resumable =
        since.epoch === log.epoch &&
        compareSeq(since.seq, log.head) <= 0 &&
        compareSeq(nextSeq(since.seq), first) >= 0;
      if (!resumable) return { ...result, recovered: false, messages: [] };
      const messages = log.retained
        .filter((entry) => compareSeq(entry.message.seq, since.seq) > 0)
        .map((entry) => entry.message);
      return { ...result, recovered: true, messages };
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    async close() {
      closed = true;
      listeners.clear();
      logs.clear();
    },
  };
}
