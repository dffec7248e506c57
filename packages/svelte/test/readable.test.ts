import { describe, expect, it, vi } from 'vitest';
import { readable } from '../src/readable';

const microtask = () => Promise.resolve();

describe('readable (the Svelte store contract)', () => {
  it('calls a new subscriber at once with the value start set, and with each later value', () => {
    let set!: (value: number) => void;
    const store = readable(0, (s) => {
      set = s;
      s(1);
      return () => {};
    });
    const seen: number[] = [];
    store.subscribe((value) => seen.push(value));
    set(2);
    expect(seen).toEqual([1, 2]);
    expect(store.get()).toBe(2);
  });

  it('starts for the first subscriber only and stops a microtask after the last leaves', async () => {
    const stop = vi.fn();
    const start = vi.fn(() => stop);
    const store = readable('x', start);
    const a = store.subscribe(() => {});
    const b = store.subscribe(() => {});
    expect(start).toHaveBeenCalledTimes(1);
    a();
    b();
    expect(stop).not.toHaveBeenCalled(); // deferred: a swap in the same tick keeps the work
    await microtask();
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('keeps running when a subscriber arrives in the same tick the last one left', async () => {
    const stop = vi.fn();
    const start = vi.fn(() => stop);
    const store = readable('x', start);
    store.subscribe(() => {})();
    const again = store.subscribe(() => {});
    await microtask();
    expect(start).toHaveBeenCalledTimes(1);
    expect(stop).not.toHaveBeenCalled();
    again();
    await microtask();
    expect(stop).toHaveBeenCalledTimes(1);
    store.subscribe(() => {});
    expect(start).toHaveBeenCalledTimes(2); // a later subscriber starts it again
  });

  it('invalidates every subscriber before running any (what derived stores rely on)', () => {
    let set!: (value: number) => void;
    const store = readable(0, (s) => {
      set = s;
      return () => {};
    });
    const calls: string[] = [];
    store.subscribe(
      (v) => calls.push(`run a ${v}`),
      () => calls.push('invalidate a'),
    );
    store.subscribe(
      (v) => calls.push(`run b ${v}`),
      () => calls.push('invalidate b'),
    );
    calls.length = 0;
    set(1);
    expect(calls).toEqual(['invalidate a', 'invalidate b', 'run a 1', 'run b 1']);
  });

  it('notifies an equal primitive once, but an object every time (Svelte’s rule)', () => {
    let set!: (value: unknown) => void;
    const store = readable<unknown>(0, (s) => {
      set = s;
      return () => {};
    });
    const run = vi.fn();
    store.subscribe(run);
    set(1);
    set(1);
    const object = { a: 1 };
    set(object);
    set(object);
    expect(run.mock.calls.map(([v]) => v)).toEqual([0, 1, object, object]);
  });

  it('does not call a subscriber that another one removed during a notification', () => {
    let set!: (value: number) => void;
    const store = readable(0, (s) => {
      set = s;
      return () => {};
    });
    const second = vi.fn();
    let offSecond = () => {};
    store.subscribe((v) => {
      if (v === 1) offSecond();
    });
    offSecond = store.subscribe(second);
    second.mockClear();
    set(1);
    expect(second).not.toHaveBeenCalled();
  });

  it('ignores a second call of the same unsubscribe', async () => {
    const stop = vi.fn();
    const store = readable(0, () => stop);
    const off = store.subscribe(() => {});
    const other = store.subscribe(() => {});
    off();
    off();
    await microtask();
    expect(stop).not.toHaveBeenCalled(); // `other` still holds it
    other();
    await microtask();
    expect(stop).toHaveBeenCalledTimes(1);
  });
});
