// redisStore's node-level catch-up against a real redis-server: pub/sub is at-most-once per node,
// so a node whose fan-out connection dropped reads back, from the stream logs, what it missed of
// the streams it serves, and relays it once that connection is back. Without it, the node's
// clients would only notice the missing messages at the stream's next publish.
import { randomUUID } from 'node:crypto';
import { Socket } from '@lifeline/core';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { StreamMessage } from '../src/index';
import { redisStore } from '../src/redis/index';
import { cleanUp, delay, onCleanUp, startServer, until } from './support/harness';
import { useRedisServer } from './support/redis-file';

const redis = useRedisServer();
afterEach(cleanUp);

/**
 * Two stores on one prefix: `a` publishes, `b` listens. `b` runs on a client with a name of its
 * own, which its fan-out connection (a duplicate) carries, so the test can cut that one alone.
 */
async function pair() {
  const prefix = `c:${randomUUID()}:`;
  const name = `b-${randomUUID()}`;
  const a = redisStore({ url: redis.url, keyPrefix: prefix });
  const client = new Redis(redis.url, { connectionName: name });
  const b = redisStore({ client, keyPrefix: prefix });
  onCleanUp(async () => {
    await Promise.all([a.close(), b.close()]);
    client.disconnect();
  });
  await Promise.all([a.ready(), b.ready()]);
  const heard: StreamMessage[] = [];
  b.subscribe((message) => heard.push(message));
  /** Closes b's fan-out connection from the Redis side; ioredis reconnects after ≥ 50 ms. */
  const cutFanOut = async () => {
    const list = String(await redis.admin.client('LIST'));
    const line = list.split('\n').find((l) => l.includes(`name=${name} `) && / sub=1 /.test(l));
    const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
    if (!id) throw new Error(`no fan-out connection named ${name} in CLIENT LIST`);
    await redis.admin.client('KILL', 'ID', id);
  };
  return { a, b, heard, cutFanOut };
}

const seqsOf = (heard: StreamMessage[], stream: string) =>
  heard.filter((m) => m.stream === stream).map((m) => m.seq);

describe('redisStore: a node catches up after its fan-out connection dropped', () => {
  it('relays what it missed of the streams it serves, in order, once, without a later publish', async () => {
    const { a, b, heard, cutFanOut } = await pair();
    await b.head('room'); // a client subscribed to `room` on b; none to `elsewhere`
    await a.append('room', 'tick', 1);
    await a.append('elsewhere', 'tick', 1);
    await until(() => heard.length === 2, 'the first messages, live');

    await cutFanOut();
    await a.append('room', 'tick', 2); // b's fan-out is down: pub/sub drops these for b
    await a.append('room', 'tick', 3);
    await a.append('elsewhere', 'tick', 2);

    await until(() => seqsOf(heard, 'room').length >= 3, 'the missed messages, read back');
    await delay(100); // nothing more, nothing twice
    expect(seqsOf(heard, 'room')).toEqual(['1', '2', '3']);
    expect(heard.filter((m) => m.stream === 'room').map((m) => m.data)).toEqual([1, 2, 3]);
    // Not served on b: not read back (its clients, if any came later, replay it themselves).
    expect(seqsOf(heard, 'elsewhere')).toEqual(['1']);

    await a.append('room', 'tick', 4);
    await until(() => seqsOf(heard, 'room').length >= 4, 'a live message after the catch-up');
    await delay(50);
    expect(seqsOf(heard, 'room')).toEqual(['1', '2', '3', '4']);
  });

  it("a client of the cut-off node gets a quiet stream's last messages, in order, with no gap", async () => {
    const { a, b, cutFanOut } = await pair();
    const publisher = await startServer({ store: a });
    const node = await startServer({ store: b });
    const socket = new Socket(node.url, { WebSocket: WebSocket as never });
    onCleanUp(() => socket.dispose());
    const seen: unknown[] = [];
    const gaps: unknown[] = [];
    const sub = socket.subscribe('feed', (data) => seen.push(data));
    sub.on('gap', (gap) => gaps.push(gap));
    await until(() => sub.status === 'live', 'live');
    await publisher.server.publish('feed', 'tick', 1);
    await until(() => seen.length === 1, 'the first message');

    await cutFanOut();
    await publisher.server.publish('feed', 'tick', 2);
    await publisher.server.publish('feed', 'tick', 3); // then the stream goes quiet

    await until(() => seen.length >= 3, 'the last messages, without a later publish');
    await delay(100);
    expect(seen).toEqual([1, 2, 3]);
    expect(gaps).toEqual([]);
    expect(sub.position?.seq).toBe('3');
  });
});
