// The kit against servers that break the protocol in one way each: the matching checks fail,
// the others still pass (so a failure points at the right rule), and the report is not ok.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConformanceReport, runConformance } from '../src/index';
import { brokenProxy, fixtureServer, type Running, silentServer } from './servers';

let good: Running;
const running: Running[] = [];
beforeAll(async () => {
  good = await fixtureServer();
});
afterAll(async () => {
  for (const server of running.splice(0)) await server.stop();
  await good.stop();
});

async function start(server: Promise<Running>) {
  const started = await server;
  running.push(started);
  return started.url;
}

const failedIds = (report: ConformanceReport) =>
  report.results.filter((result) => result.status === 'fail').map((result) => result.id);

type Frame = Record<string, unknown>;
const parse = (text: string): Frame | undefined => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

describe('deliberately broken servers', () => {
  it('a server that never replies fails every check that needs an answer, by timeout', async () => {
    const url = await start(silentServer());
    const report = await runConformance(url, { timeout: 150 });
    expect(report.ok).toBe(false);
    const byId = new Map(report.results.map((result) => [result.id, result]));
    expect(byId.get('ping.pong')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('timed out after 150 ms waiting for {"type":"pong"}'),
    });
    expect(byId.get('limits.oversize')).toMatchObject({
      status: 'skip',
      detail: expect.stringContaining('not tested'),
    });
    const others = report.results.filter((result) => result.id !== 'limits.oversize');
    expect(others.every((result) => result.status === 'fail')).toBe(true);
  });

  it('a server that answers with the wrong `re` fails the request checks, not ping', async () => {
    const url = await start(
      brokenProxy(good.url, {
        toClient: (text) => {
          const frame = parse(text);
          if (typeof frame?.re !== 'string') return [text];
          return [JSON.stringify({ ...frame, re: `${frame.re}-wrong` })];
        },
      }),
    );
    const report = await runConformance(url, { timeout: 300 });
    expect(report.ok).toBe(false);
    const failed = failedIds(report);
    expect(failed).toEqual(
      expect.arrayContaining([
        'request.reply',
        'request.error',
        'dedupe.concurrent',
        'resume.replay',
      ]),
    );
    expect(failed).not.toContain('ping.pong');
    expect(failed).not.toContain('envelope.non-envelope');
  });

  it('a server whose replay has a gap and a duplicate fails the replay checks only', async () => {
    // After a subscribe reply that promises a replay: drop the replay's first message and
    // send the second twice.
    const resuming = new Map<string, Frame>(); // subscribe id → its data, when it has `since`
    const replaying = new Map<string, 'drop' | 'duplicate'>(); // stream → what to do next
    const url = await start(
      brokenProxy(good.url, {
        toServer: (text) => {
          const frame = parse(text);
          const data = frame?.data as Frame | undefined;
          if (frame?.type === 'subscribe' && data?.since) resuming.set(String(frame.id), data);
          return [text];
        },
        toClient: (text) => {
          const frame = parse(text);
          const request = resuming.get(String(frame?.re));
          const head = frame?.data as Frame | undefined;
          const since = request?.since as Frame | undefined;
          if (request && head?.recovered === true && head.seq !== since?.seq) {
            replaying.set(String(request.stream), 'drop');
          }
          const step = replaying.get(String(frame?.stream));
          if (!frame || frame.re !== undefined || !step) return [text];
          if (step === 'drop') {
            replaying.set(String(frame.stream), 'duplicate');
            return [];
          }
          replaying.delete(String(frame.stream));
          return [text, text];
        },
      }),
    );
    const report = await runConformance(url, { timeout: 300 });
    expect(report.ok).toBe(false);
    expect(
      failedIds(report).sort(),
      JSON.stringify(report.results.filter((r) => r.status === 'fail')),
    ).toEqual(['resume.replay', 'subscribe.replace']);
  });

  it('a server that runs a repeated id again fails both dedupe checks only', async () => {
    // Gives every request a fresh id on the way in and restores it on the way out, so the
    // server never sees a repeat.
    let counter = 0;
    const url = await start(
      brokenProxy(good.url, {
        toServer: (text) => {
          const frame = parse(text);
          if (typeof frame?.id !== 'string') return [text];
          return [JSON.stringify({ ...frame, id: `${frame.id}~${++counter}` })];
        },
        toClient: (text) => {
          const frame = parse(text);
          if (typeof frame?.re !== 'string') return [text];
          return [JSON.stringify({ ...frame, re: frame.re.replace(/~\d+$/, '') })];
        },
      }),
    );
    const report = await runConformance(url, { timeout: 1000 });
    expect(report.ok).toBe(false);
    expect(failedIds(report).sort()).toEqual(['dedupe.concurrent', 'dedupe.reconnect']);
    const detail = report.results.find((result) => result.id === 'dedupe.reconnect')?.detail;
    expect(detail).toBe('the handler ran 3 times for one id');
  });

  it('a server that closes an oversize frame with another code than 1009 fails limits.oversize', async () => {
    const url = await start(
      brokenProxy(good.url, {
        toServer: (text, client) => {
          if (Buffer.byteLength(text) <= 4096) return [text];
          client.close(1000, 'too big');
          return [];
        },
      }),
    );
    const report = await runConformance(url, { timeout: 1000, maxPayload: 4096 });
    expect(report.ok).toBe(false);
    expect(failedIds(report)).toEqual(['limits.oversize']);
    const detail = report.results.find((result) => result.id === 'limits.oversize')?.detail;
    expect(detail).toBe('expected close code 1009, got 1000');
  });

  it('a server with a larger limit than announced (no close at all) fails limits.oversize', async () => {
    const report = await runConformance(good.url, {
      timeout: 300,
      maxPayload: 4096,
      only: ['limits'],
    });
    expect(report.ok).toBe(false);
    expect(report.results).toEqual([
      expect.objectContaining({ id: 'limits.oversize', status: 'fail' }),
    ]);
  });
});
