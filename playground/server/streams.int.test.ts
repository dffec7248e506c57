// The `ticks` stream of the dev server, against real `ws` clients speaking the wire protocol
// (DESIGN §8): live ticks in order, and resume without a resync after restart and blackhole,
// because the process and its memory store outlive both faults.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from './dev-server';
import { type TestClient as Client, createTestClients } from './test-client';

const TICK_MS = 20;
const clients = createTestClients();
let server: DevServer;
let nextId = 1;

interface Tick {
  type: string;
  stream: string;
  epoch: string;
  seq: string;
  data: { n: number; at: number };
}

const parse = (text: string) => JSON.parse(text) as Record<string, unknown>;
const ticksOf = (client: Client, from = 0): Tick[] =>
  client.messages
    .slice(from)
    .map(parse)
    .filter((frame) => frame.stream === 'ticks') as unknown as Tick[];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Subscribes `client` to ticks; resolves with the reply's data. */
async function subscribe(client: Client, since?: { epoch: string; seq: string }) {
  const id = `sub-${nextId++}`;
  client.ws.send(JSON.stringify({ type: 'subscribe', id, data: { stream: 'ticks', since } }));
  const reply = parse(await client.next((text) => text.includes(`"re":"${id}"`)));
  return reply.data as { epoch: string; seq: string; recovered: boolean };
}

/** Waits until `client` has received `count` more ticks after message index `from`. */
async function moreTicks(client: Client, count: number, from = 0) {
  await client.next(() => ticksOf(client, from).length >= count, 3000, from);
}

/** Seqs as BigInt, so the check does not depend on JS number precision. */
function expectContiguous(ticks: Tick[], after: string) {
  ticks.forEach((tick, index) => {
    expect(BigInt(tick.seq), `tick ${index}`).toBe(BigInt(after) + BigInt(index + 1));
  });
}

beforeAll(async () => {
  server = await startDevServer({ port: 0, tickInterval: TICK_MS, log: () => {} });
});

afterEach(() => clients.terminateAll());

afterAll(() => server.close());

describe('ticks', () => {
  it('publishes tick { n, at } to subscribers, in order, after the head the reply names', async () => {
    const client = await clients.connect(server.wsUrl);
    const reply = await subscribe(client);
    expect(reply.recovered).toBe(true);
    await moreTicks(client, 5);
    const ticks = ticksOf(client);
    expectContiguous(ticks, reply.seq);
    expect(ticks[0]).toMatchObject({
      type: 'tick',
      epoch: reply.epoch,
      data: { n: expect.any(Number), at: expect.any(Number) },
    });
    expect(ticks[1]!.data.n).toBe(ticks[0]!.data.n + 1);
  });

  it('sends ticks only to subscribers', async () => {
    const client = await clients.connect(server.wsUrl);
    await sleep(TICK_MS * 5);
    expect(ticksOf(client)).toEqual([]);
  });

  it('replays what a client missed across a restart, in the same epoch (no resync)', async () => {
    const client = await clients.connect(server.wsUrl);
    const first = await subscribe(client);
    await moreTicks(client, 3);
    client.ws.send(JSON.stringify({ type: 'fault', data: { kind: 'restart', seconds: 0.3 } }));
    expect((await client.closed).code).toBe(1012);
    const last = ticksOf(client).at(-1)!;
    let back: Client | undefined;
    for (let tries = 0; !back && tries < 40; tries++) {
      await sleep(50);
      back = await clients.connect(server.wsUrl).catch(() => undefined);
    }
    const resumed = await subscribe(back!, { epoch: last.epoch, seq: last.seq });
    expect(resumed).toMatchObject({ epoch: first.epoch, recovered: true });
    // Ticks went on while /ws was down: the head is well past the last one this client saw.
    expect(BigInt(resumed.seq) - BigInt(last.seq)).toBeGreaterThanOrEqual(5n);
    await moreTicks(back!, Number(BigInt(resumed.seq) - BigInt(last.seq)) + 3);
    expectContiguous(ticksOf(back!), last.seq);
  });

  it('sends a blackholed client no ticks; a new connection resumes where it stopped', async () => {
    const client = await clients.connect(server.wsUrl);
    await subscribe(client);
    await moreTicks(client, 2);
    client.ws.send(JSON.stringify({ type: 'fault', data: { kind: 'blackhole' } }));
    await client.next((text) => text.includes('"kind":"blackhole"'));
    await sleep(TICK_MS * 3); // ticks in flight before the gate closed
    const seen = client.messages.length;
    const last = ticksOf(client).at(-1)!;
    await sleep(TICK_MS * 10);
    expect(client.messages.length).toBe(seen);

    const fresh = await clients.connect(server.wsUrl);
    const resumed = await subscribe(fresh, { epoch: last.epoch, seq: last.seq });
    expect(resumed.recovered).toBe(true);
    await moreTicks(fresh, Number(BigInt(resumed.seq) - BigInt(last.seq)) + 2);
    expectContiguous(ticksOf(fresh), last.seq);
  });

  it('holds ticks under the delay fault without reordering them', async () => {
    const client = await clients.connect(server.wsUrl);
    const reply = await subscribe(client);
    client.ws.send(JSON.stringify({ type: 'fault', data: { kind: 'delay', ms: 150 } }));
    await client.next((text) => text.includes('"kind":"delay"'));
    await sleep(100);
    client.ws.send(JSON.stringify({ type: 'fault', data: { kind: 'delay', ms: 0 } }));
    await moreTicks(client, 15);
    expectContiguous(ticksOf(client), reply.seq);
  });
});
