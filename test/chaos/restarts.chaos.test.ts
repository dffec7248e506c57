// Server restarts under traffic: 20 graceful restarts (close 1012/1001, then down), and 20
// abrupt SIGKILLs of a child-process server, while a client keeps sending numbered messages
// and requests. Asserts exactly-once, in-order delivery where Lifeline promises it, and
// measures what plain sends lose when the dying socket still looked OPEN. The killed server
// answers requests late (50–150 ms), so every kill catches requests in flight, and the
// at-least-once resend is what gets them answered.
import { Socket } from '@lifeline/core';
import { describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import { chaosSuite } from '../support/chaos-suite';
import { type RequestRecord, startChildServer } from '../support/child-server';
import { sleep, waitUntil } from '../support/wait';
import { startTestServer } from '../support/ws-server';

const WebSocket = WS as never;
const reconnect = { initialDelay: 20, maxDelay: 300 };
const { report, cleanup } = chaosSuite(import.meta.url);

const downMs = () => 200 + Math.floor(Math.random() * 300);
const seqOf = (frames: string[], type: string) =>
  frames.flatMap((frame) => {
    const envelope = JSON.parse(frame);
    return envelope.type === type ? [envelope.data.n as number] : [];
  });
const duplicates = (values: unknown[]) => values.length - new Set(values).size;

/**
 * For each killed process: the request ids it got and never answered (in flight when it
 * died), and those of them a later process got again (resent by the client).
 */
function inFlightAtKills(log: RequestRecord[], killed: number[]) {
  const order = [...new Set(log.map((record) => record.pid))];
  const ids = (kind: RequestRecord['kind'], of: (pid: number) => boolean) =>
    new Set(log.filter((r) => r.kind === kind && of(r.pid)).map((r) => r.id));
  return killed.map((pid) => {
    const answered = ids('reply', (p) => p === pid);
    const inFlight = [...ids('request', (p) => p === pid)].filter((id) => !answered.has(id));
    const later = ids('request', (p) => order.indexOf(p) > order.indexOf(pid));
    return { pid, inFlight, resent: inFlight.filter((id) => later.has(id)) };
  });
}

describe('graceful server restarts', () => {
  it('delivers 2,000 numbered messages exactly once and in order across 20 restarts (1012/1001)', async () => {
    const server = await startTestServer({ onConnection: () => {} });
    cleanup.push(() => server.close());
    const socket = new Socket(server.url('/'), { WebSocket, reconnect });
    cleanup.push(() => socket.dispose());
    const serverCloses: number[] = [];
    socket.on('close', (event) => {
      if (event.wasClean) serverCloses.push(event.code);
    });
    await waitUntil(() => socket.status === 'open', 5000, 'first open');

    const results = { sent: 0, queued: 0, dropped: 0 };
    let n = 0;
    const sendSome = async (count: number, gapMs: number) => {
      for (let i = 0; i < count; i++) {
        results[socket.sendJson('seq', { n: ++n })]++;
        await sleep(gapMs);
      }
    };
    const codes = [1012, 1001];
    for (let round = 0; round < 20; round++) {
      await waitUntil(() => socket.status === 'open', 10_000, `open before round ${round}`);
      await sendSome(50, 1);
      // Keep sending while the server closes, is down and comes back.
      const restart = server.restart(downMs(), codes[round % 2]);
      await sendSome(50, 4);
      await restart;
    }
    await waitUntil(() => server.received.length >= 2000, 10_000, '2,000 messages at the server');
    await sleep(100); // a duplicate would show up right behind

    const got = seqOf(server.received, 'seq');
    const expected = Array.from({ length: 2000 }, (_, i) => i + 1);
    report.add({
      scenario: 'graceful restarts (1012/1001, down 0.2–0.5 s)',
      faults: '20 restarts',
      sent: n,
      received: got.length,
      lost: expected.filter((i) => !got.includes(i)).length,
      duplicated: duplicates(got),
      notes: `${results.sent} sent live, ${results.queued} queued`,
    });
    expect(got).toEqual(expected);
    expect(results.dropped).toBe(0);
    expect(results.queued).toBeGreaterThan(0);
    expect(serverCloses).toEqual(Array.from({ length: 20 }, (_, i) => codes[i % 2]));
  });
});

describe('abrupt server kills', () => {
  it('resolves 200 requests exactly once and never duplicates or reorders plain messages across 20 SIGKILLs', async () => {
    const server = await startChildServer({ replyDelayMs: 50, replyDelayMaxMs: 150 });
    cleanup.push(() => server.close());
    const socket = new Socket(server.url('/'), { WebSocket, reconnect, requestTimeout: 60_000 });
    const requestIdsAtServer = () =>
      new Set(server.requests().flatMap((r) => (r.kind === 'request' ? [r.id] : []))).size;
    const killed: number[] = [];
    cleanup.push(() => socket.dispose());
    await waitUntil(() => socket.status === 'open', 10_000, 'first open');

    const plain = new Map<number, 'sent' | 'queued' | 'dropped'>();
    const resolutions = new Map<number, unknown[]>();
    const requests: Promise<unknown>[] = [];
    let n = 0;
    let r = 0;
    const traffic = async (count: number, gapMs: number) => {
      for (let i = 0; i < count; i++) {
        const k = ++n;
        plain.set(k, socket.sendJson('seq', { n: k }));
        if (k % 10 === 0) {
          const id = ++r;
          requests.push(
            socket.request('work', { n: id }).then((data) => {
              resolutions.set(id, [...(resolutions.get(id) ?? []), data]);
            }),
          );
        }
        await sleep(gapMs);
      }
    };
    for (let round = 0; round < 20; round++) {
      await waitUntil(() => socket.status === 'open', 15_000, `open before kill ${round}`);
      await traffic(50, 2); // ends with a request, answered no sooner than 50 ms from now
      await waitUntil(() => requestIdsAtServer() >= r, 5000, `request ${r} at the server`);
      killed.push(server.pid!);
      const kill = server.kill('SIGKILL');
      await traffic(50, 4); // across the kill and the down time
      await kill;
      await sleep(downMs());
      await server.start();
    }
    // Bounded: a request that is never resent would otherwise hang until requestTimeout.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${resolutions.size}/${r} resolved in 20 s`)),
        20_000,
      );
    });
    await Promise.race([Promise.all(requests), stalled]).finally(() => clearTimeout(timer));
    await waitUntil(() => socket.queued === 0, 5000, 'queue flushed');
    await sleep(200);

    const journal = server.journal().map((line) => JSON.parse(line));
    const seq = journal.filter((e) => e.type === 'seq').map((e) => e.data.n as number);
    const work = journal.filter((e) => e.type === 'work');
    const lost = [...plain.keys()].filter((k) => !seq.includes(k));
    const lostWhileOpen = lost.filter((k) => plain.get(k) === 'sent');
    const kills = inFlightAtKills(server.requests(), killed);
    const resent = kills.reduce((sum, kill) => sum + kill.resent.length, 0);
    report.add({
      scenario: 'abrupt kills (SIGKILL child, down 0.2–0.5 s)',
      faults: '20 × SIGKILL',
      sent: n + r,
      received: seq.length + new Set(work.map((e) => e.id)).size,
      lost: lost.length,
      duplicated: duplicates(seq),
      notes: `${lostWhileOpen.length} plain sends lost while the dying socket looked OPEN; ${r} requests (replies after 50–150 ms) all resolved once; ${resent} in flight at a kill and resent; ${work.length - r} duplicate frames deduped by the server`,
    });
    // Plain messages: strictly increasing (no duplicate, no reordering) …
    expect(seq.every((value, i) => i === 0 || value > seq[i - 1]!)).toBe(true);
    // … and only those handed to a socket that was already dying can be missing.
    expect(lost).toEqual(lostWhileOpen);
    expect([...plain.values()].filter((v) => v === 'dropped')).toHaveLength(0);
    // Requests: all 200 answered, each resolved once with its own data, processed once.
    expect(r).toBe(200);
    expect(resolutions.size).toBe(200);
    for (const [id, values] of resolutions) expect(values).toEqual([{ n: id }]);
    expect(new Set(work.map((e) => e.id)).size).toBe(200);
    expect(new Set(work.map((e) => e.data.n)).size).toBe(200);
    // Every kill caught requests in flight, and each of them came back on the next server.
    expect(kills).toHaveLength(20);
    for (const kill of kills) {
      expect(
        kill.inFlight.length,
        `requests in flight when ${kill.pid} was killed`,
      ).toBeGreaterThan(0);
      expect(kill.resent, `requests resent after ${kill.pid} was killed`).toEqual(kill.inFlight);
    }
  });
});
