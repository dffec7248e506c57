// A server process frozen with SIGSTOP: its TCP connections stay open, so the client's socket
// looks OPEN over a dead peer (half-open). Only the heartbeat can tell; it must do so within
// interval + timeout, then Lifeline must reconnect after SIGCONT or a restart.
import { type CloseEvent, Socket } from '@lifeline/core';
import { describe, expect, it } from 'vitest';
import { chaosSuite } from '../support/chaos-suite';
import { type ChildServer, startChildServer } from '../support/child-server';
import { GuardedWebSocket } from '../support/guarded-ws';
import { sleep, waitUntil } from '../support/wait';

const WebSocket = GuardedWebSocket as never;
const heartbeat = { interval: 300, timeout: 300 };
// Timers on a loaded 2-core CI machine fire late; this is the slack on top of the contract.
const SLACK = 300;
const { report, cleanup } = chaosSuite(import.meta.url, { checkUnhandled: true });

async function frozenServerScenario(recover: (server: ChildServer) => Promise<void>, name: string) {
  const server = await startChildServer();
  cleanup.push(() => server.close());
  const socket = new Socket(server.url('/'), {
    WebSocket,
    heartbeat,
    connectTimeout: 800,
    reconnect: { initialDelay: 20, maxDelay: 300 },
  });
  cleanup.push(() => socket.dispose());
  const closes: Array<CloseEvent & { at: number }> = [];
  socket.on('close', (event) => closes.push({ ...event, at: Date.now() }));
  await waitUntil(() => socket.status === 'open', 15_000, 'open');
  await sleep(700); // at least one ping/pong round
  closes.length = 0;

  const results = new Map<number, string>();
  let n = 0;
  const sendSome = async (count: number) => {
    for (let i = 0; i < count; i++) {
      results.set(++n, socket.sendJson('seq', { n }));
      await sleep(20);
    }
  };
  await sendSome(5);
  const frozenAt = Date.now();
  server.freeze();
  const sending = sendSome(40); // through detection and the reconnect attempts
  await waitUntil(() => closes.length > 0, 5000, 'heartbeat timeout');
  const detectedMs = closes[0]!.at - frozenAt;
  await sleep(1200); // connect attempts that the frozen server cannot answer
  const recoveredFrom = Date.now();
  const whileFrozen = closes.slice(1).filter((close) => close.at < recoveredFrom);
  await recover(server);
  await waitUntil(() => socket.status === 'open', 10_000, 'reopen');
  const reopenMs = Date.now() - recoveredFrom;
  await sending;
  await sendSome(5);
  await waitUntil(() => socket.queued === 0, 5000, 'queue flushed');
  await sleep(300);

  const seq = server
    .journal()
    .map((line) => JSON.parse(line))
    .filter((e) => e.type === 'seq')
    .map((e) => e.data.n as number);
  const lost = [...results.keys()].filter((k) => !seq.includes(k));
  report.add({
    scenario: `SIGSTOP half-open, then ${name}`,
    faults: '1 × SIGSTOP',
    sent: n,
    received: seq.length,
    lost: lost.length,
    duplicated: seq.length - new Set(seq).size,
    notes: `detected in ${detectedMs} ms (≤ ${heartbeat.interval + heartbeat.timeout} + slack), reopened ${reopenMs} ms after recovery, ${whileFrozen.length} attempts timed out against the frozen process`,
  });
  expect(closes[0]).toMatchObject({
    code: 4000,
    reason: 'heartbeat timeout',
    wasClean: false,
    willReconnect: true,
  });
  expect(detectedMs).toBeLessThanOrEqual(heartbeat.interval + heartbeat.timeout + SLACK);
  // Attempts against the frozen process hang in the handshake and time out.
  expect(whileFrozen.length).toBeGreaterThanOrEqual(1);
  for (const close of whileFrozen)
    expect(close).toMatchObject({ code: 1006, reason: 'connect timeout', willReconnect: true });
  expect(seq.every((value, i) => i === 0 || value > seq[i - 1]!)).toBe(true);
  // Only sends handed to the half-open socket can be missing; queued ones always arrive.
  expect(lost.filter((k) => results.get(k) !== 'sent')).toEqual([]);
  return { lost };
}

describe('half-open connection (server frozen with SIGSTOP)', () => {
  it('detects the frozen server within interval + timeout and reconnects after SIGCONT', async () => {
    const { lost } = await frozenServerScenario(async (server) => server.thaw(), 'SIGCONT');
    // The frozen process kept the bytes in its socket buffer and reads them once thawed.
    expect(lost).toEqual([]);
  });

  it('detects the frozen server and reconnects to a fresh process after SIGKILL + restart', async () => {
    await frozenServerScenario(async (server) => {
      await server.kill('SIGKILL');
      await server.start();
    }, 'SIGKILL + restart');
  });
});
