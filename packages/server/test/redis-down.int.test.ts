// A LifelineServer on redisStore while Redis is down and after it came back with its data
// lost: publishes fail with ERR_STORE_UNAVAILABLE, connections stay served, requests and
// subscribes get clear answers, and a subscribed client resyncs exactly once.
import { randomUUID } from 'node:crypto';
import { Socket } from '@lifeline/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type RedisServer, startRedis } from '../../../test/support/redis';
import { redisStore } from '../src/redis/index';
import { cleanUp, delay, onCleanUp, startServer, TestClient, until } from './support/harness';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.close());
afterEach(async () => {
  await cleanUp();
  await redis.start(); // up again for the next test
});

const resources = () => {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo())
    counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
};

async function node() {
  const store = redisStore({ url: redis.url, keyPrefix: `down:${randomUUID()}:` });
  onCleanUp(() => store.close());
  const started = await startServer({ store });
  const errors: unknown[] = [];
  started.server.on('error', (error) => errors.push(error));
  started.server.handle('echo', (data) => data);
  return { ...started, store, errors };
}

describe('redisStore with Redis down', () => {
  it('rejects publishes at once with ERR_STORE_UNAVAILABLE and keeps serving connections', async () => {
    const { server, url } = await node();
    expect((await server.publish('s', 'tick', 1)).seq).toBe('1');
    const client = await TestClient.open(url);
    await redis.kill();
    await delay(50); // ioredis notices the closed connection

    const started = performance.now();
    const failure = await server.publish('s', 'tick', 2).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'ServerError', code: 'ERR_STORE_UNAVAILABLE' });
    expect(String((failure as Error).message)).toMatch(/Redis is unavailable/);
    expect(performance.now() - started).toBeLessThan(200);

    // The connection is still served: ping, and a request answered with a clear error.
    client.send({ type: 'ping', data: 7 });
    expect(await client.next((f) => f.type === 'pong', 'pong')).toEqual({ type: 'pong', data: 7 });
    expect((await client.request('echo', 'e1', 'x')).error).toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    // A subscribe cannot be read: closed with 1013 so the client comes back later.
    client.send({ type: 'subscribe', id: 's1', data: { stream: 's' } });
    expect(await client.closed).toEqual({ code: 1013, reason: 'store unavailable' });
    await until(() => server.clients === 0, 'the server forgot the connection');

    // Once Redis is back (empty), publishing works again, in a new epoch.
    await redis.start();
    let after: { epoch: string; seq: string } | undefined;
    const deadline = Date.now() + 5000;
    while (!after && Date.now() < deadline) {
      after = await server.publish('s', 'tick', 3).catch(() => undefined);
      if (!after) await delay(50);
    }
    expect(after?.seq).toBe('1');
  });

  it('a subscribed client gets exactly one resync when Redis returns without its data, then live messages', async () => {
    const { server, url } = await node();
    const socket = new Socket(url, { WebSocket: WebSocket as never });
    onCleanUp(() => socket.dispose());
    const seen: string[] = [];
    const resyncs: unknown[] = [];
    const sub = socket.subscribe('feed', (_data, message) =>
      seen.push(`${message.epoch}/${message.seq}`),
    );
    sub.on('resync', ({ position }) => resyncs.push(position));
    await until(() => sub.status === 'live', 'live');
    for (let i = 0; i < 3; i++) await server.publish('feed', 'tick', i);
    await until(() => seen.length === 3, 'three messages');
    const oldEpoch = sub.position!.epoch;

    await redis.kill();
    await delay(100);
    await expect(server.publish('feed', 'tick', 'lost')).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
    });
    await redis.start();
    // Publish until the node's subscriber is back; each success is one more live message.
    const published: string[] = [];
    const deadline = Date.now() + 5000;
    while (resyncs.length === 0 && Date.now() < deadline) {
      const p = await server.publish('feed', 'tick', 'new').catch(() => undefined);
      if (p) published.push(p.seq);
      await delay(20);
    }
    expect(resyncs).toHaveLength(1);
    const newEpoch = sub.position!.epoch;
    expect(newEpoch).not.toBe(oldEpoch);
    for (let i = 0; i < 3; i++) published.push((await server.publish('feed', 'tick', i)).seq);
    const head = published.at(-1)!;
    await until(() => sub.position?.seq === head, 'caught up after the resync');
    await delay(50);
    expect(resyncs).toHaveLength(1);
    expect(sub.status).toBe('live');
    // After the resync position, every later message of the new epoch, in order, once.
    const resyncedAt = Number((resyncs[0] as { seq: string }).seq);
    const fresh = seen
      .filter((s) => s.startsWith(`${newEpoch}/`))
      .map((s) => Number(s.split('/')[1]));
    const later = fresh.filter((n) => n > resyncedAt);
    expect(later).toEqual(
      Array.from({ length: Number(head) - resyncedAt }, (_, i) => resyncedAt + 1 + i),
    );
    expect(socket.status).toBe('open'); // the connection itself never dropped
  });

  it('closes without leaking timers or sockets, even while Redis is down', async () => {
    const before = resources();
    const store = redisStore({ url: redis.url, keyPrefix: `leak:${randomUUID()}:` });
    const replies = store.replyStore(1000);
    await store.append('x', 'tick', 1);
    await redis.kill();
    await delay(200); // reconnect attempts under way
    const run = replies.run(
      'id-1',
      async () => 'never',
      (message, code) => `${code}: ${message}`,
    );
    expect(await run.reply).toMatch(/^STORE_UNAVAILABLE/);
    replies.close();
    await store.close();
    await until(
      () => {
        const now = resources();
        return ['Timeout', 'TCPSocketWrap'].every((k) => (now.get(k) ?? 0) <= (before.get(k) ?? 0));
      },
      'timers and sockets released',
      2000,
    );
  });
});
