// The durable outbox as IndexedDB stores it, and the checks every record read back must pass:
// the database is shared with other tabs, other versions and anyone with DevTools, so what
// comes out is data to validate, not ours to trust.
//
// One record holds the entries one task added (a batch): a burst of sends costs one `put`,
// not one per message. Version 1 records (one entry each, from before batches) are read as a
// batch of one, so an outbox written by an older version is not lost. A batch in memory (the
// store's) becomes a record through `recordOf`.
import type { QueuedMessage, SendData } from '../queue';

/** A queued message (no `i`) or an unanswered request (`i`, `y`). */
export interface DurableEntry {
  /** Wall-clock time it was handed to Lifeline (ms since the epoch): ages survive reloads. */
  at: number;
  /** The frame, as it goes on the wire. */
  d: SendData;
  /** A request's id. */
  i?: string;
  /** A request's type. */
  y?: string;
}

/**
 * A record: the entries of one task, in send order, in columns. `put` clones on the send
 * path, and one string clones several times faster than an array of them, which clones
 * several times faster than as many small objects: text frames (the usual case) are stored
 * end to end in `s` with their lengths in `n`; a batch with a binary frame uses `d`.
 */
export interface BatchRecord {
  /** Format version. */
  v: 2;
  /**
   * Owner: the socket instance that sends them (its Web Lock says whether it is alive), as
   * `<tab>.<instance>` (tab.ts). Not checked on reading: an owner that is not a live lock's
   * is a gone one.
   */
  o: string;
  /** Each entry's time: one number when they share it (the entries of one task do). */
  t: number | number[];
  /** The frames (text ones) end to end. */
  s?: string;
  /** The length of each frame in `s` (UTF-16 code units). */
  n?: Uint32Array;
  /** The frames, as they go on the wire, when one is binary. */
  d?: SendData[];
  /** The requests among them: [index, id, type]. */
  q?: Array<[number, string, string]>;
}

/** A record as read back: its owner, the entries that can be sent, and how many could not. */
export interface ReadRecord {
  owner: unknown;
  entries: DurableEntry[];
  /** Entries (or the whole record, counted once) that are not ours and were skipped. */
  bad: number;
}

// Wherever IndexedDB exists, so does Blob.
const isData = (d: unknown): d is SendData =>
  typeof d === 'string' || d instanceof ArrayBuffer || ArrayBuffer.isView(d) || d instanceof Blob;

/** `s` cut at the lengths `n`, or `undefined` when they do not add up. */
function split(s: unknown, n: unknown): string[] | undefined {
  if (typeof s !== 'string' || !(n instanceof Uint32Array)) return undefined;
  const frames: string[] = [];
  let at = 0;
  for (const length of n) {
    frames.push(s.slice(at, at + length));
    at += length;
  }
  return at === s.length ? frames : undefined;
}

/**
 * Reads a record of either version (a version 1 record as a batch of one); `bad` counts the
 * entries (or the whole record, once) that were skipped.
 */
export function readRecord(value: unknown): ReadRecord {
  // biome-ignore lint/suspicious/noExplicitAny: untrusted data, every field checked below
  const r = value as any;
  const v1 = r?.v === 1;
  const frames: unknown[] | undefined = v1
    ? [r.d]
    : r?.v === 2
      ? Array.isArray(r.d)
        ? r.d
        : split(r.s, r.n)
      : undefined;
  if (!frames?.length) return { owner: undefined, entries: [], bad: r?.n?.length || 1 };
  const times = v1 ? r.at : r.t;
  const notes = v1 ? (r.i === undefined && r.y === undefined ? [] : [[0, r.i, r.y]]) : r.q || [];
  // A request note ([index, id, type]) for each entry that is a request.
  const requests: unknown[][] = [];
  let bad = 0;
  for (const q of Array.isArray(notes) ? notes : [notes]) {
    const k = Array.isArray(q) ? q[0] : -1;
    if (Number.isInteger(k) && k >= 0 && k < frames.length) requests[k] = q;
    else bad++;
  }
  const entries: DurableEntry[] = [];
  for (let k = 0; k < frames.length; k++) {
    const at = Array.isArray(times) ? times[k] : times;
    const d = frames[k];
    const [, i, y] = requests[k] ?? [];
    const request = requests[k] !== undefined;
    if (
      typeof at !== 'number' ||
      !isData(d) ||
      (request && (typeof i !== 'string' || typeof y !== 'string'))
    )
      bad++;
    else entries.push(request ? { at, d, i: i as string, y: y as string } : { at, d });
  }
  return { owner: r.o, entries, bad };
}

/** The entries of one record, in send order; `k` once written. */
export interface Batch {
  k?: IDBValidKey;
  /**
   * Entries: a queued message added by `keep` is its own entry (its time is the batch's), and
   * `undefined` once it has left the queue.
   */
  _items: Array<Entry | QueuedMessage | undefined>;
  /** When the task that made it began adding (ms since the epoch; 0 for one claimed). */
  at: number;
  /** How many items went since it was last cut down to the live ones. */
  _gone: number;
  /** Listed in the store's `_writes`: written (or rewritten, or deleted) at the task's end. */
  _dirty: boolean;
  /** Kept messages still queued, and where the oldest of them may be (at `_next` or later). */
  _left: number;
  _next: number;
}

/** An empty batch of time `at` (0 for one claimed), stored under `k` if given. */
export const batch = (at: number, k?: IDBValidKey): Batch => ({
  k,
  _items: [],
  at,
  _gone: 0,
  _dirty: false,
  _left: 0,
  _next: 0,
});

/** An outbox entry, in its batch (`_gone` once sent, answered or dropped). */
export interface Entry {
  r: DurableEntry;
  b: Batch;
  _gone?: boolean;
}

/** Whether `item` is still to be sent. */
export const live = (item: Entry | QueuedMessage | undefined): item is Entry | QueuedMessage =>
  item !== undefined && !(item as Entry)._gone;

/**
 * The record of batch `b` (not empty, every item live): one column each, the time once if
 * shared. Text frames are joined in one go, which makes a flat string: measured in Chromium,
 * `put` clones it faster than one built by `+=` by more than the join costs.
 */
export function recordOf(owner: string, b: Batch): BatchRecord {
  const items = b._items;
  const count = items.length;
  const frames: SendData[] = [];
  const lengths = new Uint32Array(count);
  const q: Array<[number, string, string]> = [];
  let text = true;
  let same = true;
  const head = items[0]!;
  const first = 'r' in head ? head.r.at : b.at;
  for (let k = 0; k < count; k++) {
    const item = items[k]!;
    let d: SendData;
    if ('r' in item) {
      const r = item.r;
      d = r.d;
      if (r.at !== first) same = false;
      if (r.i !== undefined) q.push([k, r.i, r.y!]);
    } else {
      d = item.data;
      if (b.at !== first) same = false;
    }
    frames.push(d);
    if (typeof d === 'string') lengths[k] = d.length;
    else text = false; // a binary frame: the batch goes as an array
  }
  const record: BatchRecord = {
    v: 2,
    o: owner,
    t: same ? first : items.map((item) => ('r' in item! ? item.r.at : b.at)),
  };
  if (text) {
    record.s = frames.join('');
    record.n = lengths;
  } else record.d = frames;
  if (q.length > 0) record.q = q;
  return record;
}
