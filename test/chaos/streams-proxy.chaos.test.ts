// Streams (DESIGN §8) through things that die in the middle: a TCP proxy cut every 20 ms while
// the server publishes every 4 ms (cuts land in handshakes, subscribe exchanges and replays),
// and a real nginx SIGKILLed and restarted 10 times mid-stream while the server lives on.
import { Socket } from '@lifeline/core';
import { describe, expect, it } from 'vitest';
import { chaosSuite } from '../support/chaos-suite';
import { GuardedWebSocket } from '../support/guarded-ws';
import { startNginx } from '../support/nginx';
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
import { startTcpProxy } from '../support/tcp-proxy';
import { waitUntil } from '../support/wait';

const WebSocket = GuardedWebSocket as never;
const { report, cleanup } = chaosSuite(import.meta.url, { checkUnhandled: true });
const streams = ['a', 'b'];

function clients(url: string, count: number, reconnect: object): Socket[] {
  return Array.from({ length: count }, () => {
    const socket = new Socket(url, { WebSocket, reconnect });
    cleanup.push(() => socket.dispose());
    return socket;
  });
}

const subscribeAll = (sockets: Socket[]): Recorded[] =>
  sockets.flatMap((socket, i) => streams.map((s) => record(socket, s, `client ${i} ${s}`)));

function expectExactlyOnce(all: Recorded[], head: (stream: string) => string): void {
  for (const r of all) {
    const n = Number(head(r.sub.stream));
    expect(r.seqs.map(Number), r.label).toEqual(Array.from({ length: n }, (_, k) => k + 1));
    expect(r.resyncs, r.label).toEqual([]);
  }
}

describe('a TCP proxy cut every 20 ms', () => {
  it('publishing every 4 ms for 3 s: 0 lost, 0 duplicated, progress during the cuts, head reached after', async () => {
    const local = await startLocalServer();
    cleanup.push(() => local.close());
    const proxy = await startTcpProxy(local.port);
    cleanup.push(() => proxy.close());
    const sockets = clients(proxy.url('/ws'), 2, { initialDelay: 5, maxDelay: 40 });
    const all = subscribeAll(sockets);
    await waitLive(all, 10_000, 'subscriptions live before the cuts');

    // Every 4th cut is armed on the next protocol step instead of a timer: the server just
    // completed an upgrade (the client may not have seen the 101 yet), got a subscribe (no reply
    // yet), or sent a subscribe reply (no replay yet).
    type Step = 'upgrade' | 'subscribe' | 'reply';
    let armed: Step | undefined;
    const armedCuts: Record<Step, number> = { upgrade: 0, subscribe: 0, reply: 0 };
    const fire = (step: Step) => {
      if (armed !== step) return;
      armed = undefined;
      if (proxy.cut() > 0) armedCuts[step]++;
    };
    const isSubscribe = (frame: unknown) => String(frame).startsWith('{"type":"subscribe"');
    local.server.on('connection', (ctx) => {
      ctx.socket.on('message', (raw) => {
        if (isSubscribe(raw)) fire('subscribe');
      });
      const send = ctx.socket.send.bind(ctx.socket);
      ctx.socket.send = ((frame: string, ...rest: never[]) => {
        send(frame, ...rest);
        if (isSubscribe(frame)) fire('reply');
      }) as never;
      fire('upgrade');
    });
    const steps: Step[] = ['upgrade', 'subscribe', 'reply'];

    const publisher = startPublisher((s, n) => local.server.publish(s, 'tick', { n }), streams, 4);
    // Where each timed cut landed, from the clients' side.
    const landed = { subscribe: 0, live: 0, down: 0 };
    const delivered = () => all.reduce((n, r) => n + r.seqs.length, 0);
    const progress: number[] = [];
    const start = performance.now();
    for (let tick = 0; performance.now() - start < 3000; tick++) {
      await sleep(20);
      progress.push(delivered());
      if (tick % 4 === 3) {
        armed = steps[(tick >> 2) % 3];
        continue;
      }
      for (const [i, socket] of sockets.entries()) {
        const mine = all.slice(i * streams.length, (i + 1) * streams.length);
        if (socket.status !== 'open') landed.down++;
        else if (mine.some((r) => r.sub.status === 'subscribing')) landed.subscribe++;
        else landed.live++;
      }
      proxy.cut();
    }
    armed = undefined;
    const lastCut = performance.now();
    const deliveredDuringCuts = delivered();
    await publisher.stop();
    const head = (s: string) => String(publisher.published.get(s));
    // No stall: once the cuts stop, every subscription reaches the head within 3 s (a client
    // stuck in a half-done subscribe would wait for a timeout or forever).
    await waitCaughtUp(all, head, 3000);
    const catchUp = performance.now() - lastCut;
    await sleep(50);

    // The longest stretch of cut intervals with no delivery at all, in cuts.
    let stall = 0;
    let run = 0;
    for (let i = 1; i < progress.length; i++) {
      run = progress[i] === progress[i - 1] ? run + 1 : 0;
      stall = Math.max(stall, run);
    }
    const total = sum(all.map((r) => tally(r.seqs, 0, Number(head(r.sub.stream)))));
    report.add({
      scenario: 'streams: TCP proxy cut every 20 ms, publish every 4 ms',
      faults: `${proxy.cuts} connections cut in 3 s (${progress.length} cut rounds)`,
      sent: total.expected,
      received: total.received,
      lost: total.lost,
      duplicated: total.duplicated,
      notes: `timed cuts found clients ${landed.subscribe}× mid-subscribe, ${landed.live}× live, ${landed.down}× not open; armed cuts: ${armedCuts.upgrade} at an upgrade, ${armedCuts.subscribe} at a subscribe, ${armedCuts.reply} at a reply; ${deliveredDuringCuts} of ${total.expected} delivered during the cuts; longest stall ${stall * 20} ms; head reached ${Math.round(catchUp)} ms after the last cut`,
    });
    expectExactlyOnce(all, head);
    expect(total.expected).toBeGreaterThan(2 * 2 * 400); // 3 s at 250 msg/s, timers permitting
    // The clients kept up while being cut, not only once the cuts stopped.
    expect(deliveredDuringCuts).toBeGreaterThan(total.expected / 2);
    for (const step of steps)
      expect(armedCuts[step], `cuts at a ${step}`).toBeGreaterThanOrEqual(3);
  });
});

describe('nginx in front, SIGKILLed mid-stream', () => {
  it('10 × SIGKILL + restart of nginx while publishing every 5 ms: 0 lost, 0 duplicated', async () => {
    const local = await startLocalServer();
    cleanup.push(() => local.close());
    const nginx = await startNginx({ upstreamPort: local.port });
    cleanup.push(() => nginx.close());
    const sockets = clients(nginx.url('/ws'), 2, { initialDelay: 20, maxDelay: 100 });
    const all = subscribeAll(sockets);
    await waitLive(all, 10_000, 'subscriptions live through nginx');

    const publisher = startPublisher((s, n) => local.server.publish(s, 'tick', { n }), streams, 5);
    const published = () => [...publisher.published.values()].reduce((a, b) => a + b, 0);
    const atKill: number[] = [];
    for (let kill = 0; kill < 10; kill++) {
      await waitLive(all, 10_000, `subscriptions live again before kill ${kill}`);
      await sleep(between(50, 200));
      atKill.push(all.reduce((n, r) => n + r.seqs.length, 0));
      await nginx.kill();
      await waitUntil(() => local.contexts.size === 0, 5000, 'the server to see the drops');
      await sleep(between(50, 150)); // published meanwhile: the replay must bring it
      await nginx.start();
    }
    await waitLive(all, 10_000, 'subscriptions live after the last restart');
    await sleep(100);
    await publisher.stop();
    const head = (s: string) => String(publisher.published.get(s));
    await waitCaughtUp(all, head, 5000);
    await sleep(50);

    const total = sum(all.map((r) => tally(r.seqs, 0, Number(head(r.sub.stream)))));
    report.add({
      scenario: 'streams: nginx SIGKILL + restart mid-stream, publish every 5 ms',
      faults: '10 × nginx SIGKILL',
      sent: total.expected,
      received: total.received,
      lost: total.lost,
      duplicated: total.duplicated,
      notes: `${published()} published to 2 streams, 2 clients; server stayed up; ${local.server.stats.connections} connections in all`,
    });
    expectExactlyOnce(all, head);
    // Every kill happened mid-stream: deliveries grew between kills.
    expect(atKill.every((n, i) => i === 0 || n > atKill[i - 1]!)).toBe(true);
    expect(local.server.stats.connections).toBeGreaterThanOrEqual(2 * 11);
  });
});
