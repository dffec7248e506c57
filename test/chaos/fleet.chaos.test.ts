// A fleet (DESIGN §9, issue 17): two @lifeline/server nodes (child processes) on one Redis
// (redisStore) behind nginx round robin, no sticky sessions. A publisher sends 100 msg/s in all
// to 3 streams through both nodes; 50 Node clients (core Socket on ws) and 5 in Chromium (the
// script-tag build) subscribe to all three.
// 20 graceful restarts (1012) and 10 SIGKILLs of a random node, with 200 requests in flight
// across them, then Redis itself is restarted without its data. Every subscription must get
// every message of each epoch exactly once, in order, with exactly one resync (Redis' restart);
// every request must resolve once, and its handler (runs counted in Redis) run once: twice only
// when a SIGKILL cut the first run (its node died mid-handler; the claim lapses, another node
// runs it — a crashed run cannot be finished by anyone).
import { Socket } from '@lifeline/core';
import { describe, expect, it } from 'vitest';
import { chaosSuite } from '../support/chaos-suite';
import { type Fleet, type FleetNode, startFleet, startSteadyPublisher } from '../support/fleet';
import { openBrowserClients, type Seen, seenOf, waitAll } from '../support/fleet-browser';
import { GuardedWebSocket } from '../support/guarded-ws';
import { startNginx } from '../support/nginx';
import { type RedisClient, redisClient, startRedis } from '../support/redis';
import { between, type Recorded, record, sleep } from '../support/stream-server-kit';

const WebSocket = GuardedWebSocket as never;
const { report, cleanup } = chaosSuite(import.meta.url, { checkUnhandled: true });

const STREAMS = ['prices', 'room:1', 'room:2'];
const CLIENTS = 50;
const BROWSER_CLIENTS = 5;
const RESTARTS = 20;
const KILLS = 10;
const REQUESTS = 200;
const PREFIX = 'fleet:';
const CLAIM_TTL = 1000;

const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
const shuffle = <T>(items: T[]) => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = between(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
};

async function heads(admin: RedisClient) {
  const out = new Map<string, { epoch: string; seq: number }>();
  for (const stream of STREAMS) {
    const [epoch, seq] = await admin.hmget(`${PREFIX}meta:${stream}`, 'epoch', 'seq');
    out.set(stream, { epoch: epoch ?? '', seq: Number(seq ?? 0) });
  }
  return out;
}

/** Publishes through the nodes in turn, skipping one that is down. */
function throughBoth(fleet: Fleet) {
  let turn = 0;
  return (stream: string, n: number) => {
    const up = fleet.nodes.filter((node) => node.pid !== undefined);
    const node = up[turn++ % Math.max(1, up.length)];
    if (!node) return Promise.reject(new Error('no node up'));
    return node.publish(stream, 'tick', { n });
  };
}

describe('fleet on Redis behind nginx', () => {
  it('20 rolling restarts + 10 SIGKILLs + a Redis restart: every message once, in order; every request once', async () => {
    const started = performance.now();
    const redis = await startRedis();
    cleanup.push(() => redis.close());
    const admin = redisClient(redis.url);
    cleanup.push(() => admin.disconnect());
    const fleet = await startFleet({
      nodes: 2,
      redisUrl: redis.url,
      keyPrefix: PREFIX,
      claimTtl: CLAIM_TTL,
    });
    cleanup.push(() => fleet.close());
    const nginx = await startNginx({ upstreamPorts: fleet.nodes.map((node) => node.port) });
    cleanup.push(() => nginx.close());

    const sockets = Array.from({ length: CLIENTS }, () => {
      const socket = new Socket(nginx.url('/ws'), {
        WebSocket,
        reconnect: { initialDelay: 20, maxDelay: 250 },
        requestTimeout: 60_000,
      });
      cleanup.push(() => socket.dispose());
      return socket;
    });
    const closes = new Map<number, number>(); // close code → count, as clients saw them
    for (const socket of sockets)
      socket.on('close', (event) => closes.set(event.code, (closes.get(event.code) ?? 0) + 1));
    const all: Recorded[] = sockets.flatMap((socket, i) =>
      STREAMS.map((stream) => record(socket, stream, `client ${i} ${stream}`)),
    );
    const browser = await openBrowserClients(nginx.url('/ws'), STREAMS, BROWSER_CLIENTS);
    cleanup.push(() => browser.close());
    const read = async () => [...all.map(seenOf), ...(await browser.read())];
    const live = (seen: Seen) => seen.status === 'live';
    await waitAll(read, live, 20_000, 'every subscription live');

    // 100 msg/s in all, round robin over the 3 streams, alternately through each node.
    const publisher = startSteadyPublisher(throughBoth(fleet), STREAMS, 100);

    // Requests: spread over the faults, each held 50–400 ms by its handler so that some are
    // running when a node stops or dies.
    const results = new Map<number, unknown[]>();
    const rejected = new Map<number, string>();
    const requests: Array<Promise<void>> = [];
    const sendRequests = (count: number) => {
      for (let k = 0; k < count && requests.length < REQUESTS; k++) {
        const n = requests.length;
        const socket = sockets[between(0, CLIENTS - 1)]!;
        requests.push(
          socket.request('work', { n, ms: between(50, 400) }).then(
            (reply) => void results.set(n, [...(results.get(n) ?? []), reply]),
            (error: Error) => void rejected.set(n, error.message),
          ),
        );
      }
    };

    const faults = shuffle([
      ...Array.from({ length: RESTARTS }, () => 'restart' as const),
      ...Array.from({ length: KILLS }, () => 'kill' as const),
    ]);
    const killedPids = new Set<number>();
    const perFault = Math.ceil(REQUESTS / faults.length);
    for (const [i, fault] of faults.entries()) {
      await waitAll(read, live, 15_000, `every subscription live before fault ${i}`);
      sendRequests(perFault);
      await sleep(between(100, 300)); // requests reach handlers; some still run at the fault
      const node: FleetNode = fleet.nodes[between(0, fleet.nodes.length - 1)]!;
      if (fault === 'kill') {
        killedPids.add(node.pid!);
        await node.kill();
        await sleep(between(50, 200));
      } else {
        await node.stop();
      }
      await node.start();
    }
    sendRequests(REQUESTS); // whatever is left
    const faultsDone = performance.now();
    await Promise.race([
      Promise.all(requests),
      sleep(30_000).then(() => {
        throw new Error(
          `requests unresolved after 30 s: ${REQUESTS - results.size - rejected.size}`,
        );
      }),
    ]);

    // Handler runs, counted in Redis (read before Redis is restarted).
    const runs = await admin.hgetall(`${PREFIX}runs`);
    const runners = new Map<number, number[]>();
    for (const [n, count] of Object.entries(runs)) {
      if (Number(count) > 1) {
        const pids = await admin.lrange(`${PREFIX}runners:${n}`, 0, -1);
        runners.set(Number(n), pids.map(Number));
      }
    }

    // Epoch 1 ends here: every subscription must reach the heads read now.
    const before = await heads(admin);
    await waitAll(
      read,
      (seen) => Number(seen.position?.seq) >= before.get(seen.stream)!.seq,
      20_000,
      'every subscription at the epoch-1 head',
    );
    // Redis restarted without persistence: every stream's history and epoch are gone.
    await redis.kill();
    await sleep(300);
    await redis.start();
    await waitAll(
      read,
      (seen) => seen.resyncs.length >= 1 && live(seen),
      20_000,
      'a resync on every subscription after the Redis restart',
    );
    await sleep(1000); // live traffic in the new epoch
    const rate = publisher.rate();
    await publisher.stop();
    const after = await heads(admin);
    await waitAll(
      read,
      (seen) => {
        const head = after.get(seen.stream)!;
        return seen.position?.epoch === head.epoch && Number(seen.position.seq) === head.seq;
      },
      20_000,
      'every subscription at the final head',
    );
    await sleep(100); // a duplicate would arrive right behind
    const everyone = await read();

    // Streams: per subscription and epoch, what it was owed against what it got.
    let owed = 0;
    let received = 0;
    let lost = 0;
    let duplicated = 0;
    let outOfOrder = 0;
    let unconfirmed = 0;
    for (const r of everyone) {
      const first = before.get(r.stream)!;
      const last = after.get(r.stream)!;
      expect(first.epoch, 'Redis lost the epoch').not.toBe(last.epoch);
      const inEpoch = (epoch: string) => r.seqs.filter((_, i) => r.epochs[i] === epoch).map(Number);
      expect(new Set(r.epochs), `${r.label}: only the two epochs`).toEqual(
        new Set([first.epoch, last.epoch]),
      );
      // Epoch 1: 1…(at least the head read before the Redis kill), contiguous, once each.
      const got1 = inEpoch(first.epoch);
      const top1 = Math.max(first.seq, got1.at(-1) ?? 0);
      unconfirmed += top1 - first.seq;
      // Epoch 2: after the resync position up to the final head.
      expect(r.resyncs, `${r.label}: one resync`).toHaveLength(1);
      expect(r.resyncs[0]!.epoch).toBe(last.epoch);
      const from = Number(r.resyncs[0]!.seq);
      const got2 = inEpoch(last.epoch);
      for (const [got, start, end] of [
        [got1, 1, top1],
        [got2, from + 1, last.seq],
      ] as const) {
        owed += end - start + 1;
        received += got.length;
        duplicated += got.length - new Set(got).size;
        lost += range(start, end).filter((n) => !got.includes(n)).length;
        outOfOrder += got.filter((n, i) => i > 0 && n <= got[i - 1]!).length;
      }
      expect(got1, `${r.label}, epoch 1`).toEqual(range(1, top1));
      expect(got2, `${r.label}, epoch 2`).toEqual(range(from + 1, last.seq));
    }
    const gaps = everyone.reduce((n, r) => n + r.gaps.length, 0);
    const restarts = closes.get(1012) ?? 0;

    // Requests: each resolved once with its own answer; each handler ran once, and again only
    // when the process running it was SIGKILLed (every run but the last on a killed pid).
    let cutRuns = 0;
    for (const pids of runners.values()) {
      const cut = pids.slice(0, -1);
      if (cut.every((pid) => killedPids.has(pid))) cutRuns += cut.length;
    }
    const totalRuns = Object.values(runs).reduce((n, count) => n + Number(count), 0);
    const extraRuns = totalRuns - Object.keys(runs).length - cutRuns;

    report.add({
      scenario: `fleet: 2 nodes on Redis behind nginx, ${CLIENTS} Node + ${BROWSER_CLIENTS} Chromium clients × 3 streams, 100 msg/s`,
      faults: `${RESTARTS} graceful restarts (1012) + ${KILLS} SIGKILLs of a random node, then Redis restart (data lost)`,
      sent: owed,
      received,
      lost,
      duplicated,
      notes: `${everyone.length} subscriptions; ${[...publisher.published.values()].reduce((a, b) => a + b, 0)} published, ${publisher.failed} refused (node or Redis down), ${rate} msg/s attempted; ${restarts} client closes with 1012; ${gaps} gaps healed; ${outOfOrder} out of order; ${unconfirmed} epoch-1 deliveries after the pre-kill head read; faults took ${Math.round((faultsDone - started) / 1000)} s`,
    });
    report.add({
      scenario: 'fleet: requests across node restarts and kills (dedupe in Redis)',
      faults: `${RESTARTS} restarts + ${KILLS} SIGKILLs, claimTtl ${CLAIM_TTL} ms`,
      sent: REQUESTS,
      received: [...results.values()].filter((replies) => replies.length === 1).length,
      lost: REQUESTS - results.size,
      duplicated: extraRuns,
      notes: `${Object.keys(runs).length} ids ran ${totalRuns} times: ${cutRuns} runs cut by a SIGKILL of their node and run again once the claim lapsed (a crashed run cannot finish), 0 otherwise; ${rejected.size} rejected`,
    });
    report.add({
      scenario: 'fleet: Redis restarted mid-run without persistence',
      faults: '1 × SIGKILL of redis-server + start (empty)',
      sent: everyone.length,
      received: everyone.filter((r) => r.resyncs.length === 1).length,
      lost: 0,
      duplicated: everyone.reduce((n, r) => n + Math.max(0, r.resyncs.length - 1), 0),
      notes: `one resync per subscription expected (the epoch changed); ${everyone.filter(live).length} live afterwards`,
    });

    expect(everyone).toHaveLength((CLIENTS + BROWSER_CLIENTS) * STREAMS.length);
    expect(browser.pageErrors).toEqual([]);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(outOfOrder).toBe(0);
    expect(publisher.failed).toBeGreaterThan(0); // Redis was really down for a while
    expect(restarts).toBeGreaterThanOrEqual(RESTARTS); // each restart closed clients with 1012
    expect(rejected).toEqual(new Map());
    for (let n = 0; n < REQUESTS; n++) expect(results.get(n), `request ${n}`).toEqual([{ n }]);
    expect(Object.keys(runs).length).toBe(REQUESTS);
    for (const [n, pids] of runners) {
      expect(
        pids.slice(0, -1).filter((pid) => !killedPids.has(pid)),
        `request ${n} ran on ${pids.join(', ')}: again only after a SIGKILL of the runner`,
      ).toEqual([]);
    }
    expect(extraRuns).toBe(0);
  });
});
