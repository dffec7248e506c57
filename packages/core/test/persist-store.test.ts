// The durable outbox (persist/store.ts) on fake-indexeddb: order across instances, one
// transaction per task, claims that respect live owners, unreadable records, and failures
// reported once.
import { IDBDatabase as FakeDatabase, IDBObjectStore as FakeObjectStore } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DurableStore } from '../src/persist/store';
import type { QueuedMessage } from '../src/queue';
import {
  type FakeLocks,
  freshStorage,
  outboxFrames,
  outboxRecords,
  rawRecords,
  text,
  writeRecords,
} from './persist-support';

let locks: FakeLocks;
const stores: DurableStore[] = [];

function store(name = 'app', owner = `owner${stores.length}`, fail = vi.fn()) {
  const made = new DurableStore(name, owner, fail);
  stores.push(made);
  return made;
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  locks = freshStorage();
});
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('persist store', () => {
  it('claims what a closed instance left, in the order it was added', async () => {
    const first = store();
    await first.open();
    for (let i = 0; i < 5; i++) first.add(`m${i}`);
    first.add('{"type":"sum","id":"x-1"}', 'x-1', 'sum');
    await tick();
    first.close();
    const found = await store().open();
    expect(found?.entries.map((e) => e.r.d)).toEqual([
      'm0',
      'm1',
      'm2',
      'm3',
      'm4',
      '{"type":"sum","id":"x-1"}',
    ]);
    expect(found?.entries[5]?.r).toMatchObject({ i: 'x-1', y: 'sum' });
    expect(found?.corrupt).toBe(0);
  });

  it('keeps the order across instances even when the wall clock went back', async () => {
    const first = store();
    await first.open();
    first.add('old');
    await tick();
    first.close();
    const second = store();
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() - 3_600_000); // an hour back
    const found = await second.open();
    expect(found?.entries.map((e) => e.r.d)).toEqual(['old']);
    second.add('new');
    await tick();
    vi.restoreAllMocks();
    second.close();
    const third = await store().open();
    expect(third?.entries.map((e) => e.r.d)).toEqual(['old', 'new']);
  });

  // fake-indexeddb keeps a transaction active until it commits, where a browser ends it with
  // its task: here later tasks may join it; persist.e2e.test.ts checks the browser's way.
  it('writes a burst of one task as ONE record in one transaction, and each later task as one more', async () => {
    const s = store();
    await s.open();
    const transaction = vi.spyOn(FakeDatabase.prototype, 'transaction');
    const put = vi.spyOn(FakeObjectStore.prototype, 'put');
    for (let i = 0; i < 100; i++) s.add(`burst ${i}`);
    await Promise.resolve(); // the end of the task's script
    expect(transaction).toHaveBeenCalledTimes(1);
    expect(put).toHaveBeenCalledTimes(1);
    for (let task = 0; task < 3; task++) {
      await tick();
      s.add(`task ${task}`);
      s.add(`task ${task} again`);
    }
    await tick();
    expect(transaction.mock.calls.length).toBeLessThanOrEqual(4);
    expect(put).toHaveBeenCalledTimes(4);
    const raw = await rawRecords('app');
    expect(raw).toHaveLength(4);
    expect(raw[0]![1]).toMatchObject({ v: 2, o: 'owner0' });
    expect((raw[0]![1] as { n: Uint32Array }).n).toHaveLength(100);
    expect((raw[0]![1] as { t: unknown }).t).toEqual(expect.any(Number)); // one time for the task
    expect(await outboxFrames('app')).toEqual([
      ...Array.from({ length: 100 }, (_, i) => `burst ${i}`),
      ...[0, 1, 2].flatMap((t) => [`task ${t}`, `task ${t} again`]),
    ]);
  });

  it('removals of one task go in one transaction: a batch emptied is deleted, one thinned is rewritten', async () => {
    const s = store();
    await s.open();
    const burst = Array.from({ length: 50 }, (_, i) => s.add(`a${i}`));
    await tick();
    const other = [s.add('b0'), s.add('b1')];
    await tick();
    expect(await rawRecords('app')).toHaveLength(2); // committed: later writes need their own
    const transaction = vi.spyOn(FakeDatabase.prototype, 'transaction');
    const put = vi.spyOn(FakeObjectStore.prototype, 'put');
    const del = vi.spyOn(FakeObjectStore.prototype, 'delete');
    for (const entry of burst) s.remove(entry); // a flush of the queue: one task
    s.remove(other[0]!);
    await tick();
    expect(transaction).toHaveBeenCalledTimes(1);
    expect(del).toHaveBeenCalledTimes(1); // the burst's record
    expect(put).toHaveBeenCalledTimes(1); // the other, rewritten with b1 only
    const raw = await rawRecords('app');
    expect(raw).toHaveLength(1);
    expect(raw[0]![1]).toEqual({ v: 2, o: 'owner0', t: expect.any(Number), ...text(['b1']) });
    s.remove(other[1]!);
    await tick();
    expect(await rawRecords('app')).toEqual([]);
  });

  it('an entry sent in the task that added it is never written; nor is a batch left empty', async () => {
    const s = store();
    await s.open();
    const put = vi.spyOn(FakeObjectStore.prototype, 'put');
    s.remove(s.add('sent at once'));
    const kept = s.add('kept');
    s.remove(s.add('also sent'));
    await tick();
    expect(put).toHaveBeenCalledTimes(1);
    expect(await outboxFrames('app')).toEqual(['kept']);
    expect(kept._gone).toBeUndefined();
    s.remove(s.add('gone too'));
    await tick();
    expect(put).toHaveBeenCalledTimes(1);
  });

  it('keep() writes a queued message as it is; release() deletes it, in queue order or not', async () => {
    const s = store();
    await s.open();
    const message = (data: string): QueuedMessage => ({ data, bytes: data.length, at: 0 });
    const kept = ['k0', 'k1', 'k2', 'k3'].map(message);
    s.keep(kept[0]!);
    s.add('{"id":"r"}', 'r', 'sum');
    for (const m of kept.slice(1)) s.keep(m);
    expect(kept.map((m) => Object.keys(m))).toEqual(kept.map(() => ['data', 'bytes', 'at']));
    await tick();
    const stored = () => outboxFrames('app');
    expect(await stored()).toEqual(['k0', '{"id":"r"}', 'k1', 'k2', 'k3']);
    s.release(kept[0]!); // the oldest, as the queue lets them go
    s.release(kept[2]!); // out of order
    s.release(message('never kept')); // ignored
    await tick();
    expect(await stored()).toEqual(['{"id":"r"}', 'k1', 'k3']);
    s.release(kept[1]!);
    s.release(kept[1]!); // twice: once only
    s.release(kept[3]!);
    await tick();
    expect(await stored()).toEqual(['{"id":"r"}']);
  });

  it('close() writes what its task added before letting go', async () => {
    const s = store();
    await s.open();
    s.add('added');
    s.close();
    expect((await store().open())?.entries.map((e) => e.r.d)).toEqual(['added']);
  });

  it('reads records of the one-entry format (v 1) as batches of one, in key order, and rewrites them as batches', async () => {
    const at = Date.now();
    await writeRecords('app', [
      [[1, 'gone', 1], { v: 1, o: 'gone', at, d: 'old 1' }],
      [[1, 'gone', 2], { v: 1, o: 'gone', at, d: '{"id":"r"}', i: 'r', y: 'sum' }],
      [[2, 'gone', 1], { v: 2, o: 'gone', t: [at, at + 1], d: ['new 1', 'new 2'] }],
    ]);
    const found = await store('app', 'me').open();
    expect(found?.entries.map((e) => e.r)).toEqual([
      { at, d: 'old 1' },
      { at, d: '{"id":"r"}', i: 'r', y: 'sum' },
      { at, d: 'new 1' },
      { at: at + 1, d: 'new 2' },
    ]);
    expect(found?.corrupt).toBe(0);
    expect((await rawRecords('app')).map(([, r]) => r)).toEqual([
      { v: 2, o: 'me', t: at, ...text(['old 1']) },
      { v: 2, o: 'me', t: at, ...text(['{"id":"r"}']), q: [[0, 'r', 'sum']] },
      { v: 2, o: 'me', t: [at, at + 1], ...text(['new 1', 'new 2']) },
    ]);
  });

  it('skips, counts and drops corrupt entries inside a batch; the batch keeps the good ones', async () => {
    const at = Date.now();
    await writeRecords('app', [
      [
        [1, 'gone', 1],
        {
          v: 2,
          o: 'gone',
          t: [at, at, 'never', at, at, at],
          d: ['good 1', { not: 'sendable' }, 'no time', 'good 2', '{"id":"x"}', '{"id":"y"}'],
          q: [
            [4, 'x', 'sum'],
            [5, 'y'], // a request without its type: its entry is unreadable
            [9, 'z', 'sum'], // no such entry
          ],
        },
      ],
      [[1, 'gone', 2], { v: 2, o: 'gone', t: at, d: [] }],
      [[1, 'gone', 3], { v: 2, o: 'gone', t: at, d: 'not an array' }],
      [[1, 'gone', 4], { v: 2, o: 'gone', d: ['no time at all'] }],
    ]);
    const found = await store('app', 'me').open();
    expect(found?.entries.map((e) => e.r)).toEqual([
      { at, d: 'good 1' },
      { at, d: 'good 2' },
      { at, d: '{"id":"x"}', i: 'x', y: 'sum' },
    ]);
    // The first batch: 3 unreadable entries and 1 stray request note; the others: 1 each.
    expect(found?.corrupt).toBe(7);
    expect((await rawRecords('app')).map(([, r]) => r)).toEqual([
      { v: 2, o: 'me', t: at, ...text(['good 1', 'good 2', '{"id":"x"}']), q: [[2, 'x', 'sum']] },
    ]);
  });

  it('keeps a batch with a binary frame as an array; text columns that do not add up are unreadable', async () => {
    const first = store('app', 'first');
    await first.open();
    first.add(new Uint8Array([1, 2, 3]).buffer);
    first.add('text');
    await tick();
    expect((await rawRecords('app'))[0]![1]).toMatchObject({
      d: [expect.any(ArrayBuffer), 'text'],
    });
    first.close();
    await writeRecords('app', [
      [[9, 'gone', 1], { v: 2, o: 'gone', t: Date.now(), s: 'abc', n: Uint32Array.of(1, 1) }],
    ]);
    const found = await store('app', 'second').open();
    expect(found?.entries.map((e) => e.r.d)).toEqual([new Uint8Array([1, 2, 3]).buffer, 'text']);
    expect(found?.corrupt).toBe(2);
  });

  it('a claimed batch is rewritten by its new owner as its entries go', async () => {
    const first = store('app', 'first');
    await first.open();
    for (let i = 0; i < 3; i++) first.add(`m${i}`);
    await tick();
    first.close();
    const second = store('app', 'second');
    const found = await second.open();
    second.remove(found!.entries[0]!);
    await tick();
    expect((await rawRecords('app')).map(([, r]) => r)).toEqual([
      { v: 2, o: 'second', t: expect.any(Number), ...text(['m1', 'm2']) },
    ]);
    // Still the second's while it lives: a third instance takes nothing.
    expect((await store('app', 'third').open())?.entries).toEqual([]);
  });

  it('writes what was added before the claim finished, after it, in one transaction', async () => {
    const s = store();
    const opening = s.open();
    const early = [s.add('a'), s.add('b')];
    s.remove(s.add('sent before it was ever written'));
    const transaction = vi.spyOn(FakeDatabase.prototype, 'transaction');
    await opening;
    // The claim's own transaction, then one for the early writes (the upgrade's aside).
    const writes = transaction.mock.calls.filter(([, mode]) => mode === 'readwrite');
    expect(writes).toHaveLength(2);
    await tick();
    expect(await outboxFrames('app')).toEqual(['a', 'b']);
    s.remove(early[0]!);
    await tick();
    expect(await outboxFrames('app')).toEqual(['b']);
  });

  it('never claims the entries of an instance that is still alive', async () => {
    const alive = store('app', 'alive');
    await alive.open();
    alive.add('mine');
    await tick();
    expect(locks.owners()).toEqual(['lifeline-persist:app:alive']);
    const other = await store('app', 'other').open();
    expect(other?.entries).toEqual([]);
    alive.close(); // the tab closed: its lock goes
    const later = await store('app', 'later').open();
    expect(later?.entries.map((e) => e.r.d)).toEqual(['mine']);
    // Taken over: the record now names its new owner, so a fourth instance leaves it alone.
    expect((await outboxRecords('app'))[0]?.[1]).toMatchObject({ o: 'later' });
    expect((await store('app', 'fourth').open())?.entries).toEqual([]);
  });

  it('with share, the leader hears of an instance that wrote after its claim and claims again once it goes', async () => {
    const role = (r: 'leader' | 'follower') => () => r;
    const leader = new DurableStore('app', 'L', vi.fn(), role('leader'));
    const follower = new DurableStore('app', 'F', vi.fn(), role('follower'));
    stores.push(leader, follower);
    leader.onGone = vi.fn();
    follower.onGone = vi.fn();
    await leader.open();
    await follower.open();
    // Another page of the origin posting on the name's channel: not an owner lock of it.
    const stranger = new BroadcastChannel('lifeline-persist:app');
    stranger.postMessage('lifeline-persist:other:X');
    stranger.postMessage({ lock: 'lifeline-persist:app:X' });
    stranger.close();
    // Starts after the leader's claim, so the claim never saw it.
    const late = new DurableStore('app', 'late', vi.fn(), role('follower'));
    stores.push(late);
    await late.open();
    late.add('from the late instance');
    const waiting = () => locks.waiting('lifeline-persist:app:late');
    for (let i = 0; i < 50 && waiting() === 0; i++) await tick();
    expect(waiting()).toBe(1); // the leader waits on its lock; the follower does not
    expect(
      locks.waiting('lifeline-persist:other:X') + locks.waiting('lifeline-persist:app:X'),
    ).toBe(0);
    late.close();
    for (let i = 0; i < 50 && !vi.mocked(leader.onGone!).mock.calls.length; i++) await tick();
    expect(leader.onGone).toHaveBeenCalledTimes(1);
    expect(follower.onGone).not.toHaveBeenCalled();
    expect((await leader.adopt())?.entries.map((e) => e.r.d)).toEqual(['from the late instance']);
  });

  it('two instances starting together never both claim an entry', async () => {
    const first = store();
    await first.open();
    for (let i = 0; i < 20; i++) first.add(`m${i}`);
    await tick();
    first.close();
    const [a, b] = await Promise.all([store().open(), store().open()]);
    const claimed = [...(a?.entries ?? []), ...(b?.entries ?? [])].map((e) => e.r.d);
    expect(claimed.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`).sort());
    expect(Math.min(a!.entries.length, b!.entries.length)).toBe(0);
  });

  it('skips, counts and deletes records that are not its own', async () => {
    const good = { v: 1, o: 'gone', at: Date.now(), d: 'good' };
    await writeRecords('app', [
      [[1, 'gone', 1], 'a string'],
      [[1, 'gone', 2], { v: 2, o: 'gone', at: Date.now(), d: 'from a newer version' }],
      [[1, 'gone', 3], { v: 1, o: 'gone', at: 'yesterday', d: 'x' }],
      [[1, 'gone', 4], { v: 1, o: 'gone', at: 1, d: { not: 'sendable' } }],
      [[1, 'gone', 5], { v: 1, o: 'gone', at: 1, d: 'request without a type', i: 'id' }],
      [[1, 'gone', 6], null],
      ['foreign key', { ...good, d: 'foreign key, valid record' }],
      [[1, 'gone', 7], good],
    ]);
    const found = await store().open();
    expect(found?.corrupt).toBe(6);
    // Keys sort strings before arrays: the foreign key comes first.
    expect(found?.entries.map((e) => e.r.d)).toEqual(['foreign key, valid record', 'good']);
    expect(await outboxRecords('app')).toHaveLength(2);
  });

  it('reports missing IndexedDB once and does nothing else', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const fail = vi.fn();
    const s = store('app', 'x', fail);
    expect(await s.open()).toBeUndefined();
    s.remove(s.add('kept in memory only'));
    expect(fail).toHaveBeenCalledTimes(1);
    expect(locks.owners()).toEqual(['lifeline-persist:app:x']);
    s.close();
    await tick();
    expect(locks.owners()).toEqual([]); // released on close
  });

  it('reports missing Web Locks once', async () => {
    Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true });
    const fail = vi.fn();
    expect(await store('app', 'x', fail).open()).toBeUndefined();
    expect(fail).toHaveBeenCalledTimes(1);
  });

  it('a write that fails (quota) is reported once; later writes are not attempted', async () => {
    const fail = vi.fn();
    const s = store('app', 'x', fail);
    await s.open();
    const put = vi.spyOn(FakeObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    s.add('too much');
    await Promise.resolve();
    expect(fail).toHaveBeenCalledTimes(1);
    expect((fail.mock.calls[0]![0] as DOMException).name).toBe('QuotaExceededError');
    put.mockClear();
    s.add('more');
    await tick();
    expect(put).not.toHaveBeenCalled();
    expect(fail).toHaveBeenCalledTimes(1);
  });

  it('close() during the open lets go once the open is done, writing what was added', async () => {
    const s = store('app', 'x');
    const opening = s.open();
    s.add('added while opening');
    s.close();
    await opening;
    await tick();
    expect(locks.owners()).toEqual([]);
    expect(await outboxFrames('app')).toEqual(['added while opening']);
  });
});
