// In-page measurements of `persist` (issue 16), exposed as `globalThis.lifelinePersistBench`:
// the send throughput with the durable outbox on and off, and the time from `send()` until the
// IndexedDB transaction holding the message has committed. The page must have an origin with
// IndexedDB and Web Locks (a secure one, e.g. http://127.0.0.1): about:blank has neither.
import { Socket } from '@lifeline/core';
import { deferred, envelopeOfSize, within } from './timing';

/** One throughput run: `count` messages handed over in `sendMs`, all echoed after `ms`. */
export interface PersistRun {
  /** The loop of `send()` calls alone. */
  loopMs: number;
  /** The loop of `send()` calls and the microtask that writes their batch (the main thread's part). */
  sendMs: number;
  /** From the first `send()` to the last echo (the connection opened on the way if queued). */
  ms: number;
  /**
   * Persist off: a bare IndexedDB `put` of the burst's bytes as one string, timed alone (the
   * copy any outbox in IndexedDB makes on the main thread, whatever its record format).
   */
  putMs?: number;
  messages: number;
}

/** Latencies (ms) from each `send()` of a burst to the commit of the write holding it. */
export interface DurableRun {
  latencies: number[];
  /** Write transactions and outbox records the burst made (one task: 1 and 1 expected). */
  transactions: number;
  records: number;
}

export interface PersistBenchApi {
  /** `count` sends while disconnected, then `connect()`, until every echo is back. */
  queued(url: string, persist: boolean, count: number): Promise<PersistRun>;
  /** `times` bursts of `count` sends while disconnected, each on a fresh socket never connected. */
  bursts(url: string, persist: boolean, count: number, times: number): Promise<PersistRun[]>;
  /** `count` sends on an open connection, until every echo is back. */
  open(url: string, persist: boolean, count: number): Promise<PersistRun>;
  /** A burst of `count` sends (disconnected, persist on), timed until durable. */
  durable(url: string, count: number): Promise<DurableRun>;
}

let runs = 0;

/** A socket with a fresh outbox (persist on) or none, resolved once its outbox is restored. */
async function make(url: string, persist: string | undefined, count: number): Promise<Socket> {
  const socket = new Socket(url, {
    autoConnect: false,
    binaryType: 'arraybuffer',
    queue: { maxMessages: count, maxBytes: count * 1024 },
    ...(persist ? { persist: { name: persist } } : {}),
  });
  if (persist) {
    const restored = deferred();
    socket.once('restored', () => restored.resolve());
    socket.once('error', (error) => console.error(`[persist bench] ${error.message}`));
    await within(restored.promise, 10_000, 'the outbox to open');
  }
  return socket;
}

/** Deletes the outbox database of `name` once nothing holds it open. */
function drop(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(`lifeline-persist:${name}`);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** Resolves once `socket` has received `count` messages. */
function echoes(socket: Socket, count: number): Promise<void> {
  const done = deferred();
  let got = 0;
  socket.onmessage = () => {
    if (++got === count) done.resolve();
  };
  return within(done.promise, 60_000, `${count} echoes`);
}

async function throughputRun(
  url: string,
  persist: boolean,
  count: number,
  openFirst: boolean,
): Promise<PersistRun> {
  const name = persist ? `bench-${runs++}` : undefined;
  const socket = await make(url, name, count);
  const payload = envelopeOfSize(64);
  try {
    const echoed = echoes(socket, count);
    if (openFirst) {
      const opened = deferred();
      socket.once('open', () => opened.resolve());
      socket.connect();
      await within(opened.promise, 10_000, 'open');
    }
    const start = performance.now();
    const { loopMs, sendMs } = await burst(socket, payload, count);
    if (!openFirst) socket.connect();
    await echoed;
    return { loopMs, sendMs, ms: performance.now() - start, messages: count };
  } finally {
    socket.dispose();
    if (name) await drop(name);
  }
}

/** `count` sends of `payload` in one loop, timed alone and with the microtask that follows. */
async function burst(socket: Socket, payload: string, count: number) {
  const start = performance.now();
  for (let i = 0; i < count; i++) socket.send(payload);
  const loopMs = performance.now() - start;
  // Past the microtask that writes the task's batch (cloned by `put` right then): its cost
  // is the send loop's too.
  await Promise.resolve();
  return { loopMs, sendMs: performance.now() - start };
}

let scratch: Promise<IDBDatabase> | undefined;

/** A database of the page's own, beside the outboxes, for timing bare writes. */
function scratchDatabase(): Promise<IDBDatabase> {
  scratch ??= new Promise((resolve, reject) => {
    const request = indexedDB.open('lifeline-bench-scratch', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('s', { autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return scratch;
}

/**
 * The main-thread time of one bare `put` of `text` (its structured clone and hand-over to
 * the browser's storage), then the store emptied again, untimed.
 */
async function barePut(text: string): Promise<number> {
  const db = await scratchDatabase();
  const start = performance.now();
  const write = db.transaction('s', 'readwrite');
  write.objectStore('s').put({ s: text });
  const putMs = performance.now() - start;
  await new Promise((resolve) => {
    write.oncomplete = resolve;
  });
  const clear = db.transaction('s', 'readwrite');
  clear.objectStore('s').clear();
  await new Promise((resolve) => {
    clear.oncomplete = resolve;
  });
  return putMs;
}

/**
 * More samples of the queued send loop: fresh sockets (and outboxes) that never connect. With
 * persist off, each sample also times a bare `put` of the burst's bytes.
 */
async function bursts(url: string, persist: boolean, count: number, times: number) {
  const samples: PersistRun[] = [];
  const payload = envelopeOfSize(64);
  const bytes = persist ? '' : payload.repeat(count);
  for (let k = 0; k < times; k++) {
    const name = persist ? `bench-${runs++}` : undefined;
    const socket = await make(url, name, count);
    try {
      const run: PersistRun = {
        ...(await burst(socket, payload, count)),
        ms: Number.NaN,
        messages: count,
      };
      if (!persist) run.putMs = await barePut(bytes);
      samples.push(run);
    } finally {
      socket.dispose();
      if (name) await drop(name);
    }
  }
  return samples;
}

/** Reads how many records and entries the outbox `name` holds now (committed). */
function stored(name: string): Promise<{ records: number; entries: number }> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(`lifeline-persist:${name}`);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const all = db.transaction('outbox').objectStore('outbox').getAll();
      all.onsuccess = () => {
        db.close();
        const records = all.result as Array<{ n?: ArrayLike<number>; d?: unknown[] }>;
        const entries = records.reduce((n, r) => n + (r?.n ?? r?.d ?? [r]).length, 0);
        resolve({ records: records.length, entries });
      };
    };
  });
}

async function durable(url: string, count: number): Promise<DurableRun> {
  const name = `bench-${runs++}`;
  const socket = await make(url, name, count);
  const payload = envelopeOfSize(64);
  // Every write transaction made from here on reports its commit.
  const committed = deferred<number>();
  const transaction = IDBDatabase.prototype.transaction;
  let transactions = 0;
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args) {
    const tx = transaction.apply(this, args);
    if (args[1] === 'readwrite') {
      transactions++;
      tx.addEventListener('complete', () => committed.resolve(performance.now()));
    }
    return tx;
  } as typeof transaction;
  try {
    const sentAt: number[] = [];
    for (let i = 0; i < count; i++) {
      sentAt.push(performance.now());
      socket.send(payload);
    }
    // One task: the first write to commit after it holds all of them (checked below).
    const at = await within(committed.promise, 10_000, 'the outbox write to commit');
    const { records, entries } = await stored(name);
    if (entries !== count)
      throw new Error(`${entries} of ${count} entries durable after the commit`);
    return { latencies: sentAt.map((t) => at - t), transactions, records };
  } finally {
    IDBDatabase.prototype.transaction = transaction;
    socket.dispose();
    await drop(name);
  }
}

const api: PersistBenchApi = {
  queued: (url, persist, count) => throughputRun(url, persist, count, false),
  bursts,
  open: (url, persist, count) => throughputRun(url, persist, count, true),
  durable,
};

declare global {
  var lifelinePersistBench: PersistBenchApi;
}

globalThis.lifelinePersistBench = api;
