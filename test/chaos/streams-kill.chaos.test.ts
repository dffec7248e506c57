// Streams (DESIGN §8) when the server process itself dies: a child-process @lifeline/server
// with its memory store SIGKILLed mid-stream and restarted on the same port, 3 times. Its
// history is gone, so each subscription must emit exactly one resync per kill (the new epoch)
// and then get every live message of the new epoch after its head, in order, once.
import { Socket } from '@lifeline/core';
import { describe, expect, it } from 'vitest';
import { chaosSuite } from '../support/chaos-suite';
import { GuardedWebSocket } from '../support/guarded-ws';
import { type Published, startStreamServer } from '../support/stream-server';
import {
  between,
  type Recorded,
  record,
  sleep,
  startPublisher,
  waitCaughtUp,
  waitLive,
} from '../support/stream-server-kit';
import { waitUntil } from '../support/wait';

const WebSocket = GuardedWebSocket as never;
const { report, cleanup } = chaosSuite(import.meta.url, { checkUnhandled: true });
const streams = ['orders', 'alerts'];
const KILLS = 3;

/** The delivered seqs of one epoch, in delivery order. */
const seqsIn = (r: Recorded, epoch: string) =>
  r.seqs.filter((_, i) => r.epochs[i] === epoch).map(Number);
const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

describe('server process SIGKILLed (memory store lost)', () => {
  it('3 kills while publishing every 5 ms: exactly one resync per subscription per kill, then live messages in order', async () => {
    const server = await startStreamServer();
    cleanup.push(() => server.close());
    const sockets = Array.from({ length: 2 }, () => {
      const socket = new Socket(server.url(), {
        WebSocket,
        reconnect: { initialDelay: 20, maxDelay: 100 },
      });
      cleanup.push(() => socket.dispose());
      return socket;
    });
    const all = sockets.flatMap((socket, i) =>
      streams.map((s) => record(socket, s, `client ${i} ${s}`)),
    );
    await waitLive(all, 10_000, 'subscriptions live');

    // Every position a process handed out, per stream, in publish order.
    const positions = new Map<string, Published[]>(streams.map((s) => [s, []]));
    const publisher = startPublisher(
      (s, n) => server.publish(s, 'tick', { n }).then((p) => void positions.get(s)!.push(p)),
      streams,
      5,
    );
    // Mid-stream: every subscription got messages of the current process's epoch.
    const current = (r: Recorded) =>
      r.sub.status === 'live' && r.epochs.at(-1) === r.sub.position?.epoch;
    for (let kill = 0; kill < KILLS; kill++) {
      await waitUntil(() => all.every(current), 10_000, `deliveries before kill ${kill}`);
      await sleep(between(100, 250));
      await server.kill();
      await sleep(between(100, 200)); // down: publishes fail, clients retry
      await server.start();
      await waitUntil(
        () => all.every((r) => r.resyncs.length === kill + 1),
        10_000,
        `one resync per subscription after kill ${kill}`,
      );
    }
    await sleep(300); // live traffic in the last epoch
    await publisher.stop();
    const last = (s: string) => positions.get(s)!.at(-1)!;
    // Each stream's epochs, one per process (every store instance picks its own).
    const epochsOf = (s: string) => [...new Set(positions.get(s)!.map((p) => p.epoch))];
    await waitCaughtUp(all, (s) => last(s).seq, 5000);
    await sleep(50);

    // Per subscription and epoch: the seqs it was owed (after where it started in that epoch,
    // up to that epoch's last published one) against what it got.
    let owed = 0;
    let received = 0;
    let lost = 0;
    let duplicated = 0;
    let diedWithProcess = 0;
    let beforeResyncHead = 0;
    for (const r of all) {
      const published = positions.get(r.sub.stream)!;
      const epochs = epochsOf(r.sub.stream);
      expect(epochs, `${r.sub.stream}: an epoch per process`).toHaveLength(KILLS + 1);
      for (const [e, epoch] of epochs.entries()) {
        const inEpoch = published.filter((p) => p.epoch === epoch).map((p) => Number(p.seq));
        const startAt = e === 0 ? 0 : Number(r.resyncs[e - 1]!.seq);
        const got = seqsIn(r, epoch);
        const lastGot = got.at(-1) ?? startAt;
        // A killed process may have sent a message whose publish it never confirmed.
        const top = Math.max(lastGot, ...inEpoch);
        // Contiguous from the start, once each, in order…
        expect(got, `${r.label}, epoch ${e}`).toEqual(range(startAt + 1, lastGot));
        // …and complete in the last epoch; in a killed one, the tail went with the process.
        if (e === epochs.length - 1) expect(lastGot, `${r.label} reached the head`).toBe(top);
        owed += top - startAt;
        received += got.length;
        duplicated += got.length - new Set(got).size;
        lost += range(startAt + 1, lastGot).filter((n) => !got.includes(n)).length;
        diedWithProcess += top - lastGot;
        beforeResyncHead += startAt;
      }
      // One resync per kill, each to the next epoch.
      expect(
        r.resyncs.map((p) => p.epoch),
        r.label,
      ).toEqual(epochs.slice(1));
      expect(r.gaps, r.label).toEqual([]);
    }
    report.add({
      scenario: 'streams: server process SIGKILL + restart (memory store lost)',
      faults: `${KILLS} × SIGKILL of the server`,
      sent: owed,
      received,
      lost,
      duplicated,
      notes: `${all.length} subscriptions × ${KILLS} kills: ${all.reduce((n, r) => n + r.resyncs.length, 0)} resyncs (1 each per kill); ${diedWithProcess} published but unsent when the process died, ${beforeResyncHead} before a resync head (history): both covered by the resync; ${publisher.failed} publishes refused while down`,
    });
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    // Live messages resumed after the last restart.
    for (const r of all)
      expect(seqsIn(r, epochsOf(r.sub.stream).at(-1)!).length, r.label).toBeGreaterThan(10);
  });
});
