// Stream subscriptions against a real server: the reply, replay and live order, recovery
// rules, replacing and ending subscriptions, and publishing concurrently with subscribing.
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore, type StreamStore } from '../src/index';
import { compareSeq, nextSeq } from '../src/seq';
import { cleanUp, delay, type Frame, startServer, TestClient, until } from './support/harness';

afterEach(cleanUp);

let ids = 0;
const subscribe = (client: TestClient, data: Record<string, unknown>) => {
  const id = `sub-${++ids}`;
  client.send({ type: 'subscribe', id, data });
  return client.reply(id);
};

const seqsOf = (frames: Frame[]) => frames.map((frame) => frame.seq as string);

/** Seqs from `after` + 1 to `last`, as strings. */
function range(after: string, last: string): string[] {
  const out: string[] = [];
  for (let seq = nextSeq(after); compareSeq(seq, last) <= 0; seq = nextSeq(seq)) out.push(seq);
  return out;
}

describe('subscribe', () => {
  it('without since: the head, recovered, no replay, then live messages', async () => {
    const { server, url } = await startServer();
    await server.publish('room', 'chat', { n: 1 });
    const second = await server.publish('room', 'chat', { n: 2 });
    const client = await TestClient.open(url);
    const reply = await subscribe(client, { stream: 'room' });
    expect(reply.data).toEqual({ epoch: second.epoch, seq: '2', recovered: true });
    await server.publish('room', 'chat', { n: 3 });
    const live = await client.next((frame) => frame.seq === '3', 'the live message');
    expect(live).toEqual({
      type: 'chat',
      stream: 'room',
      epoch: second.epoch,
      seq: '3',
      data: { n: 3 },
    });
    expect(client.streamed('room')).toHaveLength(1);
  });

  it('an empty stream has head "0"', async () => {
    const { url } = await startServer();
    const client = await TestClient.open(url);
    expect((await subscribe(client, { stream: 'empty' })).data).toMatchObject({
      seq: '0',
      recovered: true,
    });
  });

  it('with since: replays what was missed, in order, then live', async () => {
    const { server, url } = await startServer();
    let epoch = '';
    for (let i = 1; i <= 6; i++) ({ epoch } = await server.publish('room', 'chat', i));
    const client = await TestClient.open(url);
    const reply = await subscribe(client, { stream: 'room', since: { epoch, seq: '2' } });
    expect(reply.data).toEqual({ epoch, seq: '6', recovered: true });
    await server.publish('room', 'chat', 7);
    await until(() => client.streamed('room').length === 5, 'replay and live');
    expect(seqsOf(client.streamed('room'))).toEqual(['3', '4', '5', '6', '7']);
    expect(client.streamed('room').map((frame) => frame.data)).toEqual([3, 4, 5, 6, 7]);
    // The reply comes before the replay.
    expect(client.frames.findIndex((frame) => frame.re)).toBeLessThan(
      client.frames.findIndex((frame) => frame.seq === '3'),
    );
  });

  it('with another epoch or a since older than the window: recovered false, no replay', async () => {
    const { server, url } = await startServer({ store: memoryStore({ maxPerStream: 3 }) });
    let epoch = '';
    for (let i = 1; i <= 10; i++) ({ epoch } = await server.publish('room', 'chat', i));
    const client = await TestClient.open(url);
    const stale = await subscribe(client, {
      stream: 'room',
      since: { epoch: 'before-restart', seq: '9' },
    });
    expect(stale.data).toEqual({ epoch, seq: '10', recovered: false });
    const tooOld = await subscribe(client, { stream: 'room', since: { epoch, seq: '6' } });
    expect(tooOld.data).toEqual({ epoch, seq: '10', recovered: false });
    const justInWindow = await subscribe(client, { stream: 'room', since: { epoch, seq: '7' } });
    expect(justInWindow.data).toEqual({ epoch, seq: '10', recovered: true });
    await until(() => client.streamed('room').length === 3, 'the replay of 8..10');
    expect(seqsOf(client.streamed('room'))).toEqual(['8', '9', '10']);
  });

  it('refuses a bad stream or since with INVALID_STREAM', async () => {
    const { url } = await startServer();
    const client = await TestClient.open(url);
    for (const data of [
      undefined,
      { stream: '' },
      { stream: 5 },
      { stream: 'x'.repeat(1025) },
      { stream: 'ok', since: { epoch: 'e', seq: '01' } },
    ]) {
      expect((await subscribe(client, data as never)).error, JSON.stringify(data)).toMatchObject({
        code: 'INVALID_STREAM',
      });
    }
  });

  it('a subscribe for the same stream replaces the subscription from the new since', async () => {
    const { server, url } = await startServer();
    let epoch = '';
    for (let i = 1; i <= 5; i++) ({ epoch } = await server.publish('room', 'chat', i));
    const client = await TestClient.open(url);
    await subscribe(client, { stream: 'room' });
    // Heal a gap on the same connection: restart from seq 2.
    const again = await subscribe(client, { stream: 'room', since: { epoch, seq: '2' } });
    expect(again.data).toEqual({ epoch, seq: '5', recovered: true });
    await server.publish('room', 'chat', 6);
    await until(
      () => client.streamed('room').some((frame) => frame.seq === '6'),
      'the live message',
    );
    await delay(20);
    // Replay 3..5 once, and the live message once: one subscription, not two.
    expect(seqsOf(client.streamed('room'))).toEqual(['3', '4', '5', '6']);
  });

  it('unsubscribe stops the stream for that connection only', async () => {
    const { server, url } = await startServer();
    const [leaving, staying] = await Promise.all([TestClient.open(url), TestClient.open(url)]);
    await subscribe(leaving, { stream: 'room' });
    await subscribe(staying, { stream: 'room' });
    await subscribe(leaving, { stream: 'other' });
    leaving.send({ type: 'unsubscribe', data: { stream: 'room' } });
    // A ping answered after the unsubscribe proves the server has handled it.
    leaving.send({ type: 'ping' });
    await leaving.next((frame) => frame.type === 'pong', 'the pong');
    await server.publish('room', 'chat', 'after');
    await server.publish('other', 'chat', 'still');
    await until(() => staying.streamed('room').length === 1, 'the other client to get it');
    await until(() => leaving.streamed('other').length === 1, 'the other stream');
    expect(leaving.streamed('room')).toEqual([]);
  });

  it('authorize false for a stream is an error reply FORBIDDEN; allowed streams work', async () => {
    const asked: Array<{ stream?: string; data?: unknown }> = [];
    const { server, url } = await startServer({
      authorize: ({ stream, data }) => {
        asked.push({ stream, data });
        return stream === undefined || stream.startsWith('public:');
      },
    });
    const client = await TestClient.open(url);
    const refused = await subscribe(client, { stream: 'secret', data: { token: 't' } });
    expect(refused).toEqual({
      type: 'subscribe',
      re: refused.re,
      error: { message: 'Not allowed to subscribe to "secret"', code: 'FORBIDDEN' },
    });
    expect((await subscribe(client, { stream: 'public:news' })).data).toMatchObject({
      recovered: true,
    });
    await server.publish('secret', 'x', 1);
    await server.publish('public:news', 'x', 1);
    await until(() => client.streamed('public:news').length === 1, 'the allowed stream');
    expect(client.streamed('secret')).toEqual([]);
    expect(asked).toContainEqual({ stream: 'secret', data: { token: 't' } });
  });
});

/** A memory store whose reads take a while, before or after reading, so publishes race them. */
function slowReads(store: StreamStore): StreamStore {
  let n = 0;
  return {
    ...store,
    async readSince(stream, since) {
      const before = n++ % 2 === 0;
      if (before) await delay(1 + (n % 4));
      const result = await store.readSince(stream, since);
      if (!before) await delay(1 + (n % 4));
      return result;
    },
  };
}

describe('publishing while clients subscribe', () => {
  for (const [name, makeStore] of [
    ['the memory store', () => memoryStore({ maxPerStream: 100_000 })],
    ['a store with slow reads', () => slowReads(memoryStore({ maxPerStream: 100_000 }))],
  ] as const) {
    it(`loses and duplicates nothing with ${name} (50 subscribes during a publish loop)`, async () => {
      const { server, url } = await startServer({ store: makeStore() });
      let publishing = true;
      let last = { epoch: '', seq: '0' };
      const publisher = (async () => {
        for (let i = 0; publishing && i < 20_000; i++) {
          last = await server.publish('hot', 'tick', i);
          if (i % 5 === 0) await new Promise((resolve) => setImmediate(resolve)); // let frames in
        }
      })();
      const clients = await Promise.all(Array.from({ length: 50 }, () => TestClient.open(url)));
      const replies = await Promise.all(
        clients.map(async (client, i) => {
          await delay(i % 10); // spread the subscribes over the loop
          // Every third client resumes from a position a little behind the head.
          const behind = i % 3 === 0 && compareSeq(last.seq, '10') > 0;
          const since = behind
            ? { epoch: last.epoch, seq: String(BigInt(last.seq) - 7n) }
            : undefined;
          const reply = await subscribe(client, { stream: 'hot', ...(since ? { since } : {}) });
          return { start: since?.seq ?? reply.data.seq, head: reply.data.seq as string };
        }),
      );
      await delay(20);
      publishing = false;
      await publisher;
      const final = last.seq;
      expect(compareSeq(final, '200')).toBeGreaterThan(0); // the loop really ran alongside
      for (const [i, client] of clients.entries()) {
        await until(
          () => client.streamed('hot').at(-1)?.seq === final,
          `client ${i} to reach ${final}`,
        );
        expect(seqsOf(client.streamed('hot')), `client ${i}`).toEqual(
          range(replies[i]!.start, final),
        );
      }
    });
  }
});
