// Streams (DESIGN §8) against the real @lifeline/server: 20 server-side connection drops under
// a 100 msg/s-per-stream publisher, a resume older than the store's window, and request dedupe
// across reconnects with the real client resending in-flight requests.
import { Socket } from '@lifeline/core';
import { type Context, memoryStore } from '@lifeline/server';
import { describe, expect, it } from 'vitest';
import { chaosSuite } from '../support/chaos-suite';
import { GuardedWebSocket } from '../support/guarded-ws';
import {
  between,
  type Recorded,
  record,
  sleep,
  startLocalServer,
  startPublisher,
  sum,
  tally,
  waitCaughtUp,
  waitLive,
} from '../support/stream-server-kit';
import { waitUntil } from '../support/wait';

const WebSocket = GuardedWebSocket as never;
const reconnect = { initialDelay: 20, maxDelay: 100 };
const { report, cleanup } = chaosSuite(import.meta.url, { checkUnhandled: true });

function client(url: string): Socket {
  const socket = new Socket(url, { WebSocket, reconnect, requestTimeout: 30_000 });
  cleanup.push(() => socket.dispose());
  return socket;
}

describe('streams across server-side drops', () => {
  it('4 clients × 3 streams at 100 msg/s each: every seq once, in order, through 20 drops', async () => {
    const local = await startLocalServer();
    cleanup.push(() => local.close());
    const streams = ['prices', 'room:1', 'room:2'];
    const sockets = Array.from({ length: 4 }, () => client(local.url()));
    const closes = sockets.map(() => 0);
    for (const [i, socket] of sockets.entries()) socket.on('close', () => closes[i]!++);
    const all: Recorded[] = sockets.flatMap((socket, i) =>
      streams.map((stream) => record(socket, stream, `client ${i} ${stream}`)),
    );
    await waitLive(all, 10_000, 'every subscription live before publishing');

    // A third of the drops hit live traffic at a random moment; the others are armed to hit
    // the next subscribe exchange: as the server receives a subscribe (before its reply), or
    // right after it sent the reply (before the replay).
    let armed: 'subscribe' | 'reply' | undefined;
    let dropped = 0;
    let midSubscribe = 0;
    const drop = () => {
      midSubscribe += all.filter((r) => r.sub.status === 'subscribing').length;
      dropped += local.dropAll();
    };
    local.server.on('connection', (ctx) => {
      const isSubscribe = (frame: unknown) => String(frame).startsWith('{"type":"subscribe"');
      ctx.socket.on('message', (raw) => {
        if (armed !== 'subscribe' || !isSubscribe(raw)) return;
        armed = undefined;
        drop();
      });
      const send = ctx.socket.send.bind(ctx.socket);
      ctx.socket.send = ((frame: string, ...rest: never[]) => {
        send(frame, ...rest);
        if (armed !== 'reply' || !isSubscribe(frame)) return;
        armed = undefined;
        drop();
      }) as never;
    });
    const publisher = startPublisher(
      (stream, n) => local.server.publish(stream, 'tick', { n }),
      streams,
      10,
    );
    const started = performance.now();
    // 10 pairs: a drop of live traffic at a random moment, then one armed on the subscribe
    // exchange of the reconnect it causes (alternately at the subscribe and at the reply).
    for (let pair = 0; pair < 10; pair++) {
      await waitUntil(() => local.contexts.size === 4, 10_000, `4 connections (pair ${pair})`);
      await sleep(between(50, 250));
      armed = pair % 2 === 0 ? 'subscribe' : 'reply';
      drop();
      await waitUntil(() => armed === undefined, 10_000, `a drop at a ${armed} (pair ${pair})`);
    }
    // At least 3 s of traffic in all, whatever the drops took.
    await sleep(Math.max(0, 3000 - (performance.now() - started)));
    await publisher.stop();
    const head = (stream: string) => String(publisher.published.get(stream));
    await waitCaughtUp(all, head, 10_000);
    await sleep(50); // a duplicate would arrive right behind

    const tallies = all.map((r) => tally(r.seqs, 0, Number(head(r.sub.stream))));
    const total = sum(tallies);
    const published = [...publisher.published.values()].reduce((a, b) => a + b, 0);
    report.add({
      scenario: 'streams: server drops, 4 clients × 3 streams at 100 msg/s',
      faults: `20 drops (${dropped} connections terminated; 10 armed on a subscribe exchange)`,
      sent: total.expected,
      received: total.received,
      lost: total.lost,
      duplicated: total.duplicated,
      notes: `${published} published, 12 subscriptions; ${midSubscribe} subscriptions still subscribing at a drop; ${total.outOfOrder} out of order; ${all.reduce((n, r) => n + r.resyncs.length, 0)} resyncs, ${all.reduce((n, r) => n + r.gaps.length, 0)} gaps`,
    });
    expect(published).toBeGreaterThan(3 * 200); // 3 s at 100 msg/s each, give or take timers
    expect(dropped).toBeGreaterThanOrEqual(10 * 4 + 10);
    // Each drop armed on a received subscribe cut a subscription whose reply had not gone out.
    expect(midSubscribe).toBeGreaterThanOrEqual(5);
    expect(publisher.failed).toBe(0);
    for (const [i, r] of all.entries()) {
      expect(tallies[i], r.label).toEqual({
        ...tallies[i],
        lost: 0,
        duplicated: 0,
        outOfOrder: 0,
        unexpected: 0,
      });
      expect(r.seqs.map(Number), r.label).toEqual(
        Array.from({ length: Number(head(r.sub.stream)) }, (_, k) => k + 1),
      );
      expect(r.resyncs, r.label).toEqual([]);
      expect(r.sub.status, r.label).toBe('live');
    }
    for (const [i, count] of closes.entries())
      expect(count, `drops seen by client ${i} (10 hit every client)`).toBeGreaterThanOrEqual(10);
  });
});

describe('resume beyond the store', () => {
  it('a position older than maxPerStream gets recovered: false and one resync; a recent one replays', async () => {
    const local = await startLocalServer({ store: memoryStore({ maxPerStream: 10 }) });
    cleanup.push(() => local.close());
    const socket = client(local.url());
    const replies: Array<{ recovered: boolean; seq: string }> = [];
    socket.on('message', (event) => {
      const envelope = JSON.parse(String(event.data));
      if (envelope.type === 'subscribe' && envelope.re) replies.push(envelope.data);
    });
    const r = record(socket, 'w');
    await waitLive([r], 5000, 'subscribed');
    const publish = async (count: number) => {
      for (let i = 0; i < count; i++) await local.server.publish('w', 'tick', { i });
    };
    await publish(3);
    await waitCaughtUp([r], () => '3', 5000);

    // Away for 5 messages: within the window of 10, so it replays.
    socket.close();
    await waitUntil(() => socket.status === 'closed', 5000, 'closed');
    await publish(5);
    socket.connect();
    await waitCaughtUp([r], () => '8', 5000);
    expect(r.resyncs).toEqual([]);

    // Away for 25: messages 9…18 fell out of the window, so it cannot resume from 8.
    socket.close();
    await waitUntil(() => socket.status === 'closed', 5000, 'closed again');
    await publish(25);
    socket.connect();
    await waitUntil(() => r.resyncs.length > 0 && r.sub.status === 'live', 5000, 'the resync');
    await publish(5);
    await waitCaughtUp([r], () => '38', 5000);
    await sleep(50);

    const range = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const beyond = 25;
    report.add({
      scenario: 'streams: resume older than the store window (maxPerStream 10)',
      faults: '2 × close/connect (5 and 25 messages away)',
      sent: 38,
      received: r.seqs.length,
      lost: 38 - beyond - new Set(r.seqs).size,
      duplicated: r.seqs.length - new Set(r.seqs).size,
      notes: `${beyond} messages beyond the window, signalled by ${r.resyncs.length} resync; replies recovered: ${replies.map((reply) => reply.recovered).join(', ')}`,
    });
    expect(replies.map((reply) => reply.recovered)).toEqual([true, true, false]);
    expect(r.resyncs).toEqual([{ epoch: r.epochs[0], seq: '33' }]);
    expect(r.seqs.map(Number)).toEqual([...range(1, 8), ...range(34, 38)]);
    expect(r.gaps).toEqual([]);
  });
});

describe('request dedupe across reconnects (real client)', () => {
  it('requests in flight at 3 drops run once each; a reply lost with its connection comes from the cache', async () => {
    const local = await startLocalServer();
    cleanup.push(() => local.close());
    const ids = new Map<string, number>(); // request id → connections it arrived on
    local.server.on('connection', (ctx: Context) => {
      ctx.socket.on('message', (raw) => {
        const envelope = JSON.parse(String(raw));
        if (envelope.type === 'charge') ids.set(envelope.id, (ids.get(envelope.id) ?? 0) + 1);
      });
    });
    const runs = new Map<number, number>();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    local.server.handle('charge', async (data, ctx) => {
      const { n, loseReply } = data as { n: number; loseReply: boolean };
      runs.set(n, (runs.get(n) ?? 0) + 1);
      if (loseReply) {
        ctx.socket.terminate(); // finishes, but its reply dies with the connection
        return { charged: n };
      }
      await gate;
      return { charged: n };
    });
    const socket = client(local.url());
    await waitUntil(() => socket.status === 'open', 5000, 'open');

    const results = new Map<number, unknown[]>();
    const calls = Array.from({ length: 10 }, (_, k) =>
      socket.request('charge', { n: k, loseReply: false }).then((reply) => {
        results.set(k, [...(results.get(k) ?? []), reply]);
      }),
    );
    await waitUntil(() => runs.size === 10, 5000, '10 handlers running');
    for (let drop = 1; drop <= 3; drop++) {
      local.dropAll();
      // The client reconnects and sends every unanswered request again, same id.
      await waitUntil(
        () => ids.size === 10 && [...ids.values()].every((count) => count === drop + 1),
        5000,
        `10 requests resent after drop ${drop}`,
      );
    }
    release();
    await Promise.all(calls);
    // A request whose handler finished while its connection died: resent and answered from
    // the reply cache.
    await socket.request('charge', { n: 10, loseReply: true }).then((reply) => {
      results.set(10, [...(results.get(10) ?? []), reply]);
    });

    const frames = [...ids.values()].reduce((a, b) => a + b, 0);
    report.add({
      scenario: 'request dedupe across reconnects (real client)',
      faults: '3 drops with 10 handlers running + 1 reply lost with its connection',
      sent: 11,
      received: results.size,
      lost: 11 - results.size,
      duplicated: [...runs.values()].reduce((a, b) => a + b, 0) - runs.size,
      notes: `${frames} request frames for 11 ids, ${local.server.stats.deduped} answered by dedupe, every handler ran once`,
    });
    expect([...runs.entries()].sort((a, b) => a[0] - b[0])).toEqual(
      Array.from({ length: 11 }, (_, n) => [n, 1]),
    );
    for (let n = 0; n <= 10; n++) expect(results.get(n), `request ${n}`).toEqual([{ charged: n }]);
    expect(ids.size).toBe(11);
    expect(ids.get([...ids.keys()][10]!)).toBe(2);
    expect(local.server.stats.deduped).toBe(31);
  });
});
