// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../src/memory-store';
import type { StreamMessage } from '../src/store';

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function fill(store: ReturnType<typeof memoryStore>, stream: string, count: number) {
  const messages: StreamMessage[] = [];
  for (let i = 1; i <= count; i++) messages.push(await store.append(stream, 'tick', { i }));
  return messages;
}

const seqs = (messages: StreamMessage[]) => messages.map((message) => message.seq);

describe('memoryStore', () => {
  it('numbers messages from "1", contiguously, per stream', async () => {
    const store = memoryStore();
    await fill(store, 'a', 3);
    const b = await store.append('b', 'tick', null);
    expect(b.seq).toBe('1');
    const head = await store.head('a');
    expect(head.seq).toBe('3');
    expect(seqs((await store.readSince('a', { epoch: head.epoch, seq: '0' })).messages)).toEqual([
      '1',
      '2',
      '3',
    ]);
  });

  it('reports an empty stream at seq "0" with an epoch that stays', async () => {
    const store = memoryStore();
    const head = await store.head('new');
    expect(head.seq).toBe('0');
    expect((await store.append('new', 't', 1)).epoch).toBe(head.epoch);
  });

  it('gives each stream and each store instance its own epoch', async () => {
    const one = memoryStore();
    const two = memoryStore();
    const epochs = new Set([
      (await one.head('a')).epoch,
      (await one.head('b')).epoch,
      (await two.head('a')).epoch,
    ]);
    expect(epochs.size).toBe(3);
  });

  it('without since: recovered, nothing to replay, the head', async () => {
    const store = memoryStore();
    await fill(store, 's', 4);
    const result = await store.readSince('s', undefined);
    expect(result).toMatchObject({ head: '4', recovered: true, messages: [] });
  });

  it('replays exactly the messages after since, in order', async () => {
    const store = memoryStore();
    const all = await fill(store, 's', 10);
    const result = await store.readSince('s', { epoch: all[0]!.epoch, seq: '6' });
    expect(result.recovered).toBe(true);
    expect(result.head).toBe('10');
    expect(seqs(result.messages)).toEqual(['7', '8', '9', '10']);
    expect(result.messages[0]!.data).toEqual({ i: 7 });
  });

  it('since at the head: recovered with nothing to replay', async () => {
    const store = memoryStore();
    const all = await fill(store, 's', 3);
    const result = await store.readSince('s', { epoch: all[0]!.epoch, seq: '3' });
    expect(result).toMatchObject({ recovered: true, messages: [] });
  });

  it('another epoch, or a seq past the head: not recovered, nothing replayed', async () => {
    const store = memoryStore();
    const all = await fill(store, 's', 3);
    const other = await store.readSince('s', { epoch: 'old-epoch', seq: '1' });
    expect(other).toMatchObject({ recovered: false, messages: [], head: '3' });
    const ahead = await store.readSince('s', { epoch: all[0]!.epoch, seq: '4' });
    expect(ahead).toMatchObject({ recovered: false, messages: [] });
  });

  it('keeps maxPerStream messages; since older than the oldest minus one is not recovered', async () => {
    const store = memoryStore({ maxPerStream: 5 });
    const all = await fill(store, 's', 12); // keeps 8..12
    const epoch = all[0]!.epoch;
    const edge = await store.readSince('s', { epoch, seq: '7' });
    expect(edge.recovered).toBe(true);
    expect(seqs(edge.messages)).toEqual(['8', '9', '10', '11', '12']);
    const tooOld = await store.readSince('s', { epoch, seq: '6' });
    expect(tooOld).toMatchObject({ recovered: false, messages: [], head: '12' });
  });

  it('drops messages older than maxAge, by the injected clock', async () => {
    const time = clock();
    const store = memoryStore({ maxAge: 1000, now: time.now });
    await fill(store, 's', 3); // at 0
    time.advance(600);
    const later = await fill(store, 's', 2); // 4, 5 at 600
    const epoch = later[0]!.epoch;
    time.advance(400); // 1..3 are now 1000 ms old
    const aged = await store.readSince('s', { epoch, seq: '3' });
    expect(aged.recovered).toBe(true);
    expect(seqs(aged.messages)).toEqual(['4', '5']);
    expect((await store.readSince('s', { epoch, seq: '2' })).recovered).toBe(false);
    time.advance(600); // everything aged out: only a client at the head is still in sync
    expect(await store.readSince('s', { epoch, seq: '5' })).toMatchObject({
      recovered: true,
      messages: [],
    });
    expect((await store.readSince('s', { epoch, seq: '4' })).recovered).toBe(false);
    expect((await store.append('s', 'tick', null)).seq).toBe('6');
  });

  it('fans out synchronously after each append, to every listener until it unsubscribes', async () => {
    const store = memoryStore();
    const seen: string[] = [];
    const stop = store.subscribe((message) => seen.push(`${message.stream}:${message.seq}`));
    const appended = store.append('s', 'tick', 1);
    expect(seen).toEqual(['s:1']); // before the promise even settles
    await appended;
    stop();
    await store.append('s', 'tick', 2);
    expect(seen).toEqual(['s:1']);
  });

  it('rejects bad options and use after close', async () => {
    expect(() => memoryStore({ maxPerStream: 0 })).toThrow(
      /maxPerStream must be a positive integer/,
    );
    expect(() => memoryStore({ maxAge: -1 })).toThrow(/maxAge/);
    const store = memoryStore();
    await store.close();
    await expect(store.append('s', 't', 1)).rejects.toMatchObject({ code: 'ERR_CLOSED' });
  });
});
