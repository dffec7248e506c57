// redisStore against a real redis-server: atomic seqs with two stores publishing at once,
// fan-out between store instances and between two LifelineServers, epochs that survive a new
// store but not a loss of Redis' data, and request dedupe shared by two servers.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamMessage } from '../src/index';
import { type RedisStoreOptions, redisStore } from '../src/redis/index';
import { cleanUp, delay, gate, onCleanUp, startServer, TestClient, until } from './support/harness';
import { useRedisServer } from './support/redis-file';

const redis = useRedisServer();
afterEach(cleanUp);

/** A store on this file's redis-server, under `prefix` (fresh per test unless shared). */
function store(prefix: string, options: RedisStoreOptions = {}) {
  const created = redisStore({ url: redis.url, keyPrefix: prefix, ...options });
  onCleanUp(() => created.close());
  return created;
}

const fresh = () => `t:${randomUUID()}:`;

describe('redisStore: seqs, epochs, trimming', () => {
  it('two stores appending to one stream at once get contiguous, unique seqs in one epoch', async () => {
    const prefix = fresh();
    const [a, b] = [store(prefix), store(prefix)];
    const appends = Array.from({ length: 400 }, (_, i) =>
      (i % 2 === 0 ? a : b).append('shared', 'tick', { i }),
    );
    const messages = await Promise.all(appends);
    const seqs = messages.map((m) => Number(m.seq)).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(new Set(messages.map((m) => m.epoch)).size).toBe(1);
    const { epoch } = await a.head('shared');
    const replay = await b.readSince('shared', { epoch, seq: '0' });
    expect(replay.messages.map((m) => m.seq)).toEqual(seqs.map(String));
    // The log says which append got which seq.
    for (const m of replay.messages) expect(messages[(m.data as { i: number }).i]!.seq).toBe(m.seq);
  });

  it('keeps the epoch in Redis: a new store instance resumes where the old one was', async () => {
    const prefix = fresh();
    const first = store(prefix);
    await first.append('kept', 'tick', 1);
    await first.append('kept', 'tick', 2);
    const { epoch } = await first.head('kept');
    await first.close();
    const second = store(prefix);
    expect(await second.head('kept')).toEqual({ epoch, seq: '2' });
    const result = await second.readSince('kept', { epoch, seq: '1' });
    expect(result).toMatchObject({ recovered: true, head: '2' });
    expect(result.messages.map((m) => m.data)).toEqual([2]);
  });

  it('starts a new epoch at seq 1 when Redis lost the stream, and refuses old positions', async () => {
    const prefix = fresh();
    const s = store(prefix);
    await s.append('lost', 'tick', 1);
    const before = await s.head('lost');
    await redis.admin.del(`${prefix}meta:lost`, `${prefix}log:lost`);
    const after = await s.append('lost', 'tick', 2);
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.seq).toBe('1');
    expect(await s.readSince('lost', { epoch: before.epoch, seq: '1' })).toMatchObject({
      recovered: false,
      epoch: after.epoch,
      head: '1',
      messages: [],
    });
  });

  it('trims each stream exactly to maxPerStream and gives its keys an idle TTL', async () => {
    const prefix = fresh();
    const s = store(prefix, { maxPerStream: 3, maxAge: 30_000, idleTtl: 60_000 });
    for (let i = 0; i < 10; i++) await s.append('trim', 'tick', i);
    expect(await redis.admin.xlen(`${prefix}log:trim`)).toBe(3);
    const ttl = await redis.admin.pttl(`${prefix}meta:trim`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('checks its options', () => {
    expect(() => redisStore({ url: 'http://x' })).toThrow(/redis:\/\//);
    expect(() => redisStore({ maxPerStream: 0 })).toThrow(/maxPerStream/);
    expect(() => redisStore({ url: redis.url, client: redis.admin })).toThrow(/not both/);
    expect(() => redisStore({ client: {} as never })).toThrow(/ioredis client/);
  });

  it('uses a client passed in (and leaves it open on close)', async () => {
    const client = new Redis(redis.url);
    onCleanUp(() => client.disconnect());
    const s = redisStore({ client, keyPrefix: fresh() });
    expect((await s.append('c', 'tick', 1)).seq).toBe('1');
    await s.close();
    expect(await client.ping()).toBe('PONG');
  });
});

describe('redisStore: fan-out across nodes', () => {
  it('a message appended on store A reaches listeners of store B, every stream in seq order', async () => {
    const prefix = fresh();
    const [a, b] = [store(prefix), store(prefix)];
    const heard: StreamMessage[] = [];
    b.subscribe((message) => heard.push(message));
    await delay(50); // B's SUBSCRIBE reaches Redis
    const appends: Array<Promise<StreamMessage>> = [];
    for (let i = 0; i < 100; i++) {
      appends.push(a.append(i % 2 ? 'x' : 'y', 'tick', { i }));
      appends.push(b.append('x', 'tick', { i }));
    }
    await Promise.all(appends);
    await until(() => heard.length === 200, '200 messages at B');
    for (const stream of ['x', 'y']) {
      const seqs = heard.filter((m) => m.stream === stream).map((m) => Number(m.seq));
      expect(seqs, stream).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    }
  });

  it('a client on server B gets what server A publishes, and resumes on B from a position A gave', async () => {
    const prefix = fresh();
    const nodeA = await startServer({ store: store(prefix) });
    const nodeB = await startServer({ store: store(prefix) });
    const onB = await TestClient.open(nodeB.url);
    onB.send({ type: 'subscribe', id: 's1', data: { stream: 'room' } });
    const reply = await onB.reply('s1');
    expect(reply.data).toMatchObject({ seq: '0', recovered: true });
    for (let i = 1; i <= 5; i++) await nodeA.server.publish('room', 'chat', { i });
    await until(() => onB.streamed('room').length === 5, 'five messages on B');
    expect(onB.streamed('room').map((f) => f.seq)).toEqual(['1', '2', '3', '4', '5']);
    const { epoch } = reply.data;

    // A client that saw 2 on node A resumes on node B: 3…5 are replayed from Redis.
    const resumer = await TestClient.open(nodeB.url);
    resumer.send({
      type: 'subscribe',
      id: 's2',
      data: { stream: 'room', since: { epoch, seq: '2' } },
    });
    expect((await resumer.reply('s2')).data).toEqual({ epoch, seq: '5', recovered: true });
    await until(() => resumer.streamed('room').length === 3, 'the replay');
    expect(resumer.streamed('room').map((f) => f.data)).toEqual([{ i: 3 }, { i: 4 }, { i: 5 }]);
  });
});

describe('redisStore: request dedupe shared by two servers', () => {
  it('a request resent to another node while it runs waits for that run; later repeats get the stored reply', async () => {
    const prefix = fresh();
    const nodes = [
      await startServer({ store: store(prefix) }),
      await startServer({ store: store(prefix) }),
    ];
    let runs = 0;
    const held = gate();
    for (const { server } of nodes) {
      server.handle('charge', async (data) => {
        runs++;
        await held.wait;
        return { charged: data };
      });
    }
    const [onA, onB] = [await TestClient.open(nodes[0]!.url), await TestClient.open(nodes[1]!.url)];
    onA.send({ type: 'charge', id: 'pay-1', data: 42 });
    await until(() => runs === 1, 'the handler running on A');
    onB.send({ type: 'charge', id: 'pay-1', data: 42 }); // the client's resend, on another node
    await delay(100);
    expect(onB.frames).toEqual([]); // waiting for A's run, not running it again
    held.open();
    const expected = { type: 'charge', re: 'pay-1', data: { charged: 42 } };
    expect(await onA.reply('pay-1')).toEqual(expected);
    expect(await onB.reply('pay-1')).toEqual(expected);
    // Later repeats, on either node, come from Redis.
    const late = await TestClient.open(nodes[1]!.url);
    expect(await late.request('charge', 'pay-1', 42)).toEqual(expected);
    expect(runs).toBe(1);
    expect(nodes[1]!.server.stats.deduped).toBe(2);
    expect(await redis.admin.get(`${prefix}reply:pay-1`)).toBe(`d${JSON.stringify(expected)}`);
  });

  it('runs a request again on another node once a dead node’s claim lapses', async () => {
    const prefix = fresh();
    const node = await startServer({ store: store(prefix, { claimTtl: 200 }) });
    let runs = 0;
    node.server.handle('job', () => ++runs);
    // A node that claimed the id and died: its claim is not refreshed and lapses.
    await redis.admin.set(`${prefix}reply:job-1`, 'rdead-node', 'PX', 300);
    const client = await TestClient.open(node.url);
    const started = performance.now();
    expect(await client.request('job', 'job-1')).toEqual({ type: 'job', re: 'job-1', data: 1 });
    expect(performance.now() - started).toBeGreaterThan(200);
    expect(runs).toBe(1);
  });

  it('a long handler keeps its claim alive past claimTtl, so nobody else runs it', async () => {
    const prefix = fresh();
    const nodes = [
      await startServer({ store: store(prefix, { claimTtl: 150 }) }),
      await startServer({ store: store(prefix, { claimTtl: 150 }) }),
    ];
    let runs = 0;
    for (const { server } of nodes) {
      server.handle('slow', async () => {
        runs++;
        await delay(600);
        return 'done';
      });
    }
    const onA = await TestClient.open(nodes[0]!.url);
    const onB = await TestClient.open(nodes[1]!.url);
    onA.send({ type: 'slow', id: 'slow-1' });
    await until(() => runs === 1, 'running on A');
    onB.send({ type: 'slow', id: 'slow-1' });
    expect((await onB.reply('slow-1', 3000)).data).toBe('done');
    expect((await onA.reply('slow-1')).data).toBe('done');
    expect(runs).toBe(1);
  });
});
