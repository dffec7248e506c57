// The StreamStore contract, one suite for every store (the way keyv's and abstract-level's
// stores are tested): store-contract.int.test.ts runs it against memoryStore and redisStore.
import { describe, expect, it } from 'vitest';
import type { StreamMessage, StreamStore } from '../src/index';
import { delay, until } from './support/harness';

export interface StoreFactory {
  /** A fresh store with an empty history (its own key space), closed by the suite. */
  create(options?: { maxPerStream?: number; maxAge?: number }): Promise<StreamStore>;
}

async function appendMany(store: StreamStore, stream: string, count: number) {
  const out: StreamMessage[] = [];
  for (let i = 1; i <= count; i++) out.push(await store.append(stream, 'tick', { i }));
  return out;
}

const seqs = (messages: StreamMessage[]) => messages.map((m) => m.seq);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

/** Registers the contract tests for one store implementation. */
export function describeStoreContract(name: string, factory: StoreFactory): void {
  const open: StreamStore[] = [];
  const create = async (options?: { maxPerStream?: number; maxAge?: number }) => {
    const store = await factory.create(options);
    open.push(store);
    return store;
  };

  describe(`StreamStore contract: ${name}`, () => {
    // Closed after each test, whatever it asserted.
    const closeAll = async () => {
      for (const store of open.splice(0)) await store.close().catch(() => {});
    };

    it('starts an untouched stream at seq "0" with an epoch that the first append keeps', async () => {
      const store = await create();
      try {
        const head = await store.head('fresh');
        expect(head.seq).toBe('0');
        expect(typeof head.epoch).toBe('string');
        expect(await store.head('fresh')).toEqual(head);
        const first = await store.append('fresh', 'chat', { text: 'hi' });
        expect(first).toEqual({
          stream: 'fresh',
          type: 'chat',
          epoch: head.epoch,
          seq: '1',
          data: { text: 'hi' },
        });
        expect(await store.head('fresh')).toEqual({ epoch: head.epoch, seq: '1' });
      } finally {
        await closeAll();
      }
    });

    it('assigns contiguous seqs per stream, independently for each stream', async () => {
      const store = await create();
      try {
        const a = await appendMany(store, 'a', 12);
        const b = await appendMany(store, 'b', 3);
        expect(seqs(a)).toEqual(range(1, 12));
        expect(seqs(b)).toEqual(range(1, 3));
        expect(new Set(a.map((m) => m.epoch)).size).toBe(1);
        expect((await store.head('a')).seq).toBe('12');
        expect((await store.head('b')).seq).toBe('3');
      } finally {
        await closeAll();
      }
    });

    it('reads every message after a position, in order, with type and data', async () => {
      const store = await create();
      try {
        await store.append('r', 'note', 'text');
        await store.append('r', 'note', null);
        await store.append('r', 'empty', undefined);
        await store.append('r', 'obj', { nested: [1, { x: 'y' }] });
        const { epoch } = await store.head('r');
        const result = await store.readSince('r', { epoch, seq: '1' });
        expect(result).toEqual({
          epoch,
          head: '4',
          recovered: true,
          messages: [
            { stream: 'r', type: 'note', epoch, seq: '2', data: null },
            { stream: 'r', type: 'empty', epoch, seq: '3', data: undefined },
            { stream: 'r', type: 'obj', epoch, seq: '4', data: { nested: [1, { x: 'y' }] } },
          ],
        });
        expect(await store.readSince('r', { epoch, seq: '0' })).toMatchObject({
          recovered: true,
          head: '4',
        });
        expect(seqs((await store.readSince('r', { epoch, seq: '0' })).messages)).toEqual(
          range(1, 4),
        );
      } finally {
        await closeAll();
      }
    });

    it('without since: recovered, no replay, the head', async () => {
      const store = await create();
      try {
        await appendMany(store, 'n', 3);
        const { epoch } = await store.head('n');
        expect(await store.readSince('n', undefined)).toEqual({
          epoch,
          head: '3',
          recovered: true,
          messages: [],
        });
      } finally {
        await closeAll();
      }
    });

    it('at the head: recovered with nothing to replay', async () => {
      const store = await create({ maxPerStream: 2 });
      try {
        await appendMany(store, 'h', 5);
        const { epoch } = await store.head('h');
        expect(await store.readSince('h', { epoch, seq: '5' })).toEqual({
          epoch,
          head: '5',
          recovered: true,
          messages: [],
        });
      } finally {
        await closeAll();
      }
    });

    it('refuses (recovered: false, no messages) another epoch or a position past the head', async () => {
      const store = await create();
      try {
        await appendMany(store, 'e', 3);
        const { epoch } = await store.head('e');
        const other = await store.readSince('e', { epoch: `${epoch}-other`, seq: '1' });
        expect(other).toEqual({ epoch, head: '3', recovered: false, messages: [] });
        const ahead = await store.readSince('e', { epoch, seq: '4' });
        expect(ahead).toEqual({ epoch, head: '3', recovered: false, messages: [] });
      } finally {
        await closeAll();
      }
    });

    it('keeps maxPerStream messages: a position just inside the window replays, one older does not', async () => {
      const store = await create({ maxPerStream: 5 });
      try {
        await appendMany(store, 'w', 12); // keeps 8…12
        const { epoch } = await store.head('w');
        const inside = await store.readSince('w', { epoch, seq: '7' });
        expect(inside.recovered).toBe(true);
        expect(seqs(inside.messages)).toEqual(range(8, 12));
        const outside = await store.readSince('w', { epoch, seq: '6' });
        expect(outside).toEqual({ epoch, head: '12', recovered: false, messages: [] });
      } finally {
        await closeAll();
      }
    });

    it('drops messages older than maxAge', async () => {
      const store = await create({ maxAge: 150 });
      try {
        await appendMany(store, 'old', 3);
        const { epoch } = await store.head('old');
        expect((await store.readSince('old', { epoch, seq: '0' })).recovered).toBe(true);
        await delay(300);
        await store.append('old', 'tick', { i: 4 });
        expect(await store.readSince('old', { epoch, seq: '0' })).toMatchObject({
          recovered: false,
          head: '4',
        });
        const recent = await store.readSince('old', { epoch, seq: '3' });
        expect(seqs(recent.messages)).toEqual(['4']);
      } finally {
        await closeAll();
      }
    });

    it('fans every append out to subscribers in order, until they unsubscribe', async () => {
      const store = await create();
      try {
        const heard: StreamMessage[] = [];
        const other: string[] = [];
        const stop = store.subscribe((message) => heard.push(message));
        store.subscribe((message) => other.push(message.seq));
        await delay(50); // a shared store subscribes over the network
        const sent = [
          ...(await appendMany(store, 'f', 5)),
          await store.append('g', 'chat', { to: 'g' }),
        ];
        await until(() => heard.length === 6, 'six messages fanned out');
        expect(heard).toEqual(sent);
        stop();
        await store.append('f', 'tick', { i: 6 });
        await until(() => other.length === 7, 'the message after unsubscribe');
        await delay(20);
        expect(heard).toHaveLength(6);
      } finally {
        await closeAll();
      }
    });

    it('rejects appends once closed with ERR_CLOSED', async () => {
      const store = await create();
      await store.close();
      await expect(store.append('x', 'tick', 1)).rejects.toMatchObject({ code: 'ERR_CLOSED' });
      await closeAll();
    });
  });
}
