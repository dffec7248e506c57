import { describe, expect, it } from 'vitest';
import { QUICK } from '../config';
import type { BenchResults, FanoutRow } from '../results';
import { streamSections } from './streams';

const fanout = (server: string, messagesPerSecond: number, ratio: number): FanoutRow => ({
  server,
  clients: 1000,
  messages: 200,
  messagesPerSecond,
  deliveriesPerSecond: messagesPerSecond * 1000,
  ratio,
  serverCpuPercent: 97.4,
  clientCpuPercent: 60,
  samples: [messagesPerSecond],
});

/** A run that measured the stream suites only. */
function results(change: (r: BenchResults) => void = () => {}): BenchResults {
  const r: BenchResults = {
    config: QUICK,
    machine: { cpu: 't', cores: 2, memoryGiB: 1, os: 't', node: 'v20', chromium: '1', date: '' },
    size: [],
    perMessage: { receive: [], send: [], routing: [] },
    throughput: { small: [], large: [] },
    recovery: [],
    herd: [],
    memory: [],
    sources: [],
    goals: [],
    streamCost: [
      { lib: 'onMessage route', nsPerMessage: 2000, ratio: 1, samples: [2000] },
      { lib: 'stream message', nsPerMessage: 2100, ratio: 1.05, samples: [2100] },
    ],
    replay: [
      {
        lib: 'lifeline',
        messages: 10_000,
        messagesPerSecond: 9000,
        ms: 1111.1,
        ratio: 1,
        samples: [9000],
      },
    ],
    fanout: [fanout('@lifeline/server', 120, 1.2), fanout('socket.io', 100, 1)],
  };
  change(r);
  return r;
}

describe('stream tables', () => {
  it('renders the three tables, each with its method note', () => {
    const sections = streamSections(results());
    expect(sections.map(([title]) => title)).toEqual([
      'Stream message vs `onMessage` route (5,000 messages, fake transport)',
      'Replay: 10,000 missed stream messages delivered after a reconnect (Chromium)',
      'Server fan-out: 200 messages to 1,000 Node clients',
    ]);
    const [cost, replay, fan] = sections.map(([, body]) => body);
    expect(cost).toMatch(/\| stream message +\| +2,100.0 \| +1.05× \|/);
    expect(replay).toMatch(/\| lifeline \| +9,000 \| +1,111.1 \| +1.00× \|/);
    expect(fan).toMatch(/\| @lifeline\/server \| +120 \| +120,000 \| +1.20× \| +97 % \| +60 % \|/);
    for (const body of [cost, replay, fan]) expect(body).toMatch(/\n\n\S/);
    expect(fan).toContain('child process');
  });

  it('leaves out what was not measured, also in results saved before the stream suites', () => {
    const none = results((r) => {
      delete r.streamCost;
      r.replay = [];
      delete r.fanout;
    });
    expect(streamSections(none)).toEqual([]);
  });
});
