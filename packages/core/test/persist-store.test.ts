// The durable outbox (persist/store.ts) on fake-indexeddb: order across instances, one
// transaction per task, claims that respect live owners, unreadable records, and failures
// reported once.
import { IDBDatabase as FakeDatabase, IDBObjectStore as FakeObjectStore } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DurableStore } from '../src/persist/store';
import { type FakeLocks, freshStorage, outboxRecords, writeRecords } from './persist-support';

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
    for (let i = 0; i < 5; i++) first.add({ d: `m${i}` });
    first.add({ d: '{"type":"sum","id":"x-1"}', i: 'x-1', y: 'sum' });
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
    first.add({ d: 'old' });
    await tick();
    first.close();
    const second = store();
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() - 3_600_000); // an hour back
    const found = await second.open();
    expect(found?.entries.map((e) => e.r.d)).toEqual(['old']);
    second.add({ d: 'new' });
    await tick();
    vi.restoreAllMocks();
    second.close();
    const third = await store().open();
    expect(third?.entries.map((e) => e.r.d)).toEqual(['old', 'new']);
  });

  // fake-indexeddb keeps a transaction active until it commits, where a browser ends it with
  // its task: here later tasks may join it; persist.e2e.test.ts checks the browser's way.
  it('writes a burst of one task in one transaction, and later tasks in at most one each', async () => {
    const s = store();
    await s.open();
    const transaction = vi.spyOn(FakeDatabase.prototype, 'transaction');
    for (let i = 0; i < 100; i++) s.add({ d: `burst ${i}` });
    expect(transaction).toHaveBeenCalledTimes(1);
    for (let task = 0; task < 3; task++) {
      await tick();
      s.add({ d: `task ${task}` });
      s.add({ d: `task ${task} again` });
    }
    expect(transaction.mock.calls.length).toBeLessThanOrEqual(4);
    await tick();
    expect(await outboxRecords('app')).toHaveLength(106);
  });

  it('writes what was added before the claim finished, after it, in one transaction', async () => {
    const s = store();
    const opening = s.open();
    const early = [s.add({ d: 'a' }), s.add({ d: 'b' })];
    s.remove(s.add({ d: 'sent before it was ever written' }));
    const transaction = vi.spyOn(FakeDatabase.prototype, 'transaction');
    await opening;
    // The claim's own transaction, then one for the early writes (the upgrade's aside).
    const writes = transaction.mock.calls.filter(([, mode]) => mode === 'readwrite');
    expect(writes).toHaveLength(2);
    await tick();
    expect((await outboxRecords('app')).map(([, r]) => (r as { d: string }).d)).toEqual(['a', 'b']);
    s.remove(early[0]!);
    await tick();
    expect((await outboxRecords('app')).map(([, r]) => (r as { d: string }).d)).toEqual(['b']);
  });

  it('never claims the entries of an instance that is still alive', async () => {
    const alive = store('app', 'alive');
    await alive.open();
    alive.add({ d: 'mine' });
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

  it('two instances starting together never both claim an entry', async () => {
    const first = store();
    await first.open();
    for (let i = 0; i < 20; i++) first.add({ d: `m${i}` });
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
    s.remove(s.add({ d: 'kept in memory only' }));
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
    s.add({ d: 'too much' });
    expect(fail).toHaveBeenCalledTimes(1);
    expect((fail.mock.calls[0]![0] as DOMException).name).toBe('QuotaExceededError');
    put.mockClear();
    s.add({ d: 'more' });
    await tick();
    expect(put).not.toHaveBeenCalled();
    expect(fail).toHaveBeenCalledTimes(1);
  });

  it('close() during the open lets go once the open is done, writing what was added', async () => {
    const s = store('app', 'x');
    const opening = s.open();
    s.add({ d: 'added while opening' });
    s.close();
    await opening;
    await tick();
    expect(locks.owners()).toEqual([]);
    expect((await outboxRecords('app')).map(([, r]) => (r as { d: string }).d)).toEqual([
      'added while opening',
    ]);
  });
});
