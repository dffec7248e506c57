// Lifeline behind a real nginx reverse proxy: nginx SIGKILLed and restarted on the same port,
// and nginx's proxy_read_timeout cutting idle connections (with and without a heartbeat).
import { Socket } from '@lifeline/core';
import { describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import { chaosSuite } from '../support/chaos-suite';
import { envelopeHandler } from '../support/envelope-handler';
import { startNginx } from '../support/nginx';
import { sleep, waitUntil } from '../support/wait';
import { startTestServer } from '../support/ws-server';

const WebSocket = WS as never;
const reconnect = { initialDelay: 20, maxDelay: 300 };
const { report, cleanup } = chaosSuite(import.meta.url);

const parsed = (frames: string[]) => frames.map((frame) => JSON.parse(frame));
const seqOf = (frames: string[]) =>
  parsed(frames)
    .filter((e) => e.type === 'seq')
    .map((e) => e.data.n as number);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function setup(readTimeout: string, replyDelayMs = 0) {
  const server = await startTestServer({ onConnection: envelopeHandler({ replyDelayMs }) });
  cleanup.push(() => server.close());
  const nginx = await startNginx({ upstreamPort: server.port, readTimeout });
  cleanup.push(() => nginx.close());
  return { server, nginx };
}

function track(socket: Socket) {
  const seen = { opens: 0, closes: [] as number[] };
  socket.on('open', () => seen.opens++);
  socket.on('close', (event) => seen.closes.push(event.code));
  return seen;
}

describe('behind nginx', () => {
  it('reconnects through a restarted nginx after SIGKILL: queued messages and in-flight requests arrive', async () => {
    const { server, nginx } = await setup('60s', 300);
    const socket = new Socket(nginx.url('/'), { WebSocket, reconnect, requestTimeout: 20_000 });
    cleanup.push(() => socket.dispose());
    const seen = track(socket);
    await waitUntil(() => socket.status === 'open', 10_000, 'open through nginx');

    let n = 0;
    const replies: unknown[] = [];
    const requests: Promise<void>[] = [];
    for (let round = 0; round < 3; round++) {
      await Promise.all(requests); // the previous round's resent requests are answered
      for (let i = 0; i < 20; i++) expect(socket.sendJson('seq', { n: ++n })).toBe('sent');
      const ids = [round * 2 + 1, round * 2 + 2];
      for (const id of ids)
        requests.push(socket.request('slow', { id }).then((data) => void replies.push(data)));
      // The server has everything (so nothing sits in nginx's buffers) and is holding both
      // replies for 300 ms: they are in flight when nginx dies.
      await server.waitFor(() => seqOf(server.received).length === n, 5000, 'live messages');
      await server.waitFor(
        () => parsed(server.received).filter((e) => e.type === 'slow').length >= ids.at(-1)!,
        5000,
        'requests',
      );
      await nginx.kill();
      await waitUntil(() => socket.status === 'reconnecting', 5000, 'drop noticed');
      for (let i = 0; i < 20; i++) expect(socket.sendJson('seq', { n: ++n })).toBe('queued');
      await sleep(300);
      await nginx.start();
      await waitUntil(() => socket.status === 'open', 10_000, 'reopen through nginx');
    }
    await Promise.all(requests);
    await server.waitFor(() => seqOf(server.received).length === n, 5000, 'all messages');
    await sleep(100);

    const got = seqOf(server.received);
    const slow = parsed(server.received).filter((e) => e.type === 'slow');
    report.add({
      scenario: 'nginx SIGKILL + restart (quiesced, requests in flight)',
      faults: '3 × nginx SIGKILL',
      sent: n + 6,
      received: got.length + replies.length,
      lost: range(1, n).filter((i) => !got.includes(i)).length,
      duplicated: got.length - new Set(got).size,
      notes: `${slow.length - 6} in-flight requests resent after reconnect (same id)`,
    });
    expect(got).toEqual(range(1, 120));
    expect(replies).toHaveLength(6);
    expect(new Set(replies.map((data) => (data as { id: number }).id))).toEqual(
      new Set(range(1, 6)),
    );
    // Each request was in flight at a kill: sent once, then once more with the same id.
    expect(slow).toHaveLength(12);
    for (const id of new Set(slow.map((e) => e.id)))
      expect(slow.filter((e) => e.id === id)).toHaveLength(2);
    expect(seen.opens).toBe(4);
    expect(seen.closes.filter((code) => code === 1006).length).toBeGreaterThanOrEqual(3);
  });

  it('keeps the connection through proxy_read_timeout 1s with a heartbeat every 400 ms', async () => {
    const { server, nginx } = await setup('1s');
    const socket = new Socket(nginx.url('/'), {
      WebSocket,
      reconnect,
      heartbeat: { interval: 400, timeout: 400 },
    });
    cleanup.push(() => socket.dispose());
    const seen = track(socket);
    await waitUntil(() => socket.status === 'open', 10_000, 'open through nginx');
    for (let i = 1; i <= 4; i++) {
      await sleep(1500); // longer than proxy_read_timeout
      socket.sendJson('seq', { n: i });
    }
    await server.waitFor(() => seqOf(server.received).length === 4, 5000, '4 messages');
    const pings = server.received.filter((frame) => frame === '{"type":"ping"}').length;
    report.add({
      scenario: 'nginx proxy_read_timeout 1s, heartbeat 400 ms',
      faults: '4 idle gaps of 1.5 s',
      sent: 4,
      received: seqOf(server.received).length,
      lost: 4 - seqOf(server.received).length,
      duplicated: 0,
      notes: `${seen.closes.length} drops, ${pings} pings, latency ${socket.latency} ms`,
    });
    expect(seqOf(server.received)).toEqual([1, 2, 3, 4]);
    expect(seen.closes).toEqual([]);
    expect(seen.opens).toBe(1);
    expect(pings).toBeGreaterThanOrEqual(8);
    expect(socket.latency).toBeTypeOf('number');
  });

  it('without a heartbeat, nginx cuts idle connections and Lifeline reconnects without losing a message', async () => {
    const { server, nginx } = await setup('1s');
    const socket = new Socket(nginx.url('/'), { WebSocket, reconnect });
    cleanup.push(() => socket.dispose());
    const seen = track(socket);
    await waitUntil(() => socket.status === 'open', 10_000, 'open through nginx');
    for (let i = 1; i <= 4; i++) {
      await sleep(1500);
      socket.sendJson('seq', { n: i });
    }
    await server.waitFor(() => seqOf(server.received).length === 4, 5000, '4 messages');
    await sleep(100);
    const got = seqOf(server.received);
    report.add({
      scenario: 'nginx proxy_read_timeout 1s, no heartbeat',
      faults: `${seen.closes.length} idle cuts by nginx`,
      sent: 4,
      received: got.length,
      lost: 4 - new Set(got).size,
      duplicated: got.length - new Set(got).size,
      notes: `${seen.opens} opens`,
    });
    expect(got).toEqual([1, 2, 3, 4]);
    // 6 s of traffic gaps, each connection cut after 1 s idle upstream.
    expect(seen.closes.length).toBeGreaterThanOrEqual(3);
    expect(seen.closes.every((code) => code === 1006)).toBe(true);
    expect(seen.opens).toBeGreaterThanOrEqual(seen.closes.length);
  });
});
