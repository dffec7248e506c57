// Runs the whole benchmark harness in its --quick configuration and checks that every suite
// produced well-formed numbers. Benchmarks are not timed tests: nothing here asserts speed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot } from './harness/paths';
import type { BenchResults } from './results';

const out = mkdtempSync(join(tmpdir(), 'lifeline-bench-'));
let results: BenchResults;
let markdown: string;
let svg: string;

const finite = (value: number) => Number.isFinite(value) && value >= 0;

describe('pnpm bench --quick', () => {
  beforeAll(() => {
    const run = spawnSync(
      process.execPath,
      [fromRoot('bench/run.mjs'), '--quick', `--out=${out}`],
      {
        cwd: fromRoot(''),
        encoding: 'utf8',
        // The capability suites (share, persist, fleet with Redis, validation) add ~40 s.
        timeout: 170_000,
      },
    );
    if (run.status !== 0) {
      throw new Error(
        `bench --quick exited with ${run.status ?? run.signal}:\n${run.stderr}\n${run.stdout}`,
      );
    }
    results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    markdown = readFileSync(join(out, 'benchmarks.md'), 'utf8');
    svg = readFileSync(join(out, 'benchmarks-chart.svg'), 'utf8');
  }, 180_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const LIBS = [
    'native',
    'lifeline',
    'reconnecting-websocket',
    'partysocket',
    'sockette',
    'websocket-ts',
    'robust-websocket',
  ];

  /** Lifeline variants measured per message only, listed right after `lifeline`. */
  const PER_MESSAGE = [
    ...LIBS.slice(0, 2),
    'lifeline (heartbeat on)',
    'lifeline (ReconnectingSocket)',
    ...LIBS.slice(2),
  ];

  it('measures every library and Lifeline variant per message, with ratios to native', () => {
    for (const rows of [results.perMessage.receive, results.perMessage.send]) {
      expect(rows.map((row) => row.lib)).toEqual(PER_MESSAGE);
      for (const row of rows) expect(finite(row.nsPerMessage), `${row.lib} ns`).toBe(true);
      expect(rows[0]?.ratio ?? 1).toBe(1);
    }
    expect(results.perMessage.routing.map((row) => row.lib)).toEqual(['hand-written', 'lifeline']);
  });

  it('measures throughput for every library, and the echoed bytes were all there', () => {
    for (const rows of [results.throughput.small, results.throughput.large]) {
      expect(rows.map((row) => row.lib)).toEqual(LIBS);
      for (const row of rows) {
        expect(row.messagesPerSecond, row.lib).toBeGreaterThan(0);
        expect(finite(row.megabytesPerSecond)).toBe(true);
        expect(row.ratio).not.toBeNull();
      }
    }
  });

  it('times recovery and herds for every reconnecting library', () => {
    expect(results.recovery.map((row) => row.lib)).toEqual(LIBS.slice(1));
    for (const row of results.recovery) {
      expect(row.recoverMs === null || finite(row.recoverMs), row.lib).toBe(true);
      expect(finite(row.attemptsWhileDown)).toBe(true);
    }
    // Lifeline reconnects by default after a 1001 close, so it must have come back.
    expect(results.recovery.find((row) => row.lib === 'lifeline')?.recovered).toBe(1);
    expect(results.herd.map((row) => row.lib)).toEqual(LIBS.slice(1));
    const herd = results.herd.find((row) => row.lib === 'lifeline')!;
    expect(herd.reconnected).toBe(herd.clients);
    expect(herd.p10! <= herd.p50! && herd.p50! <= herd.p90!).toBe(true);
  });

  it('measures heap per instance for every library', () => {
    expect(results.memory.map((row) => row.lib)).toEqual(LIBS);
    for (const row of results.memory) {
      expect(row.bytesPerInstance, row.lib).toBeGreaterThan(0);
      expect(Number.isFinite(row.retainedBytes)).toBe(true);
    }
  });

  it('measures stream messages, replays and server fan-out against socket.io', () => {
    const { config } = results;
    const cost = results.streamCost ?? [];
    expect(cost.map((row) => row.lib)).toEqual([
      'onMessage route',
      'stream message',
      'hand-written: the onMessage frame',
      'hand-written: the stream frame',
    ]);
    for (const row of cost) expect(finite(row.nsPerMessage), row.lib).toBe(true);
    expect(cost[0]?.ratio).toBe(1);
    const replay = results.replay ?? [];
    expect(replay.map((row) => row.lib)).toEqual(['native (hand-written)', 'lifeline']);
    for (const row of replay) {
      expect(row.messages).toBe(config.replayMessages);
      expect(row.messagesPerSecond, row.lib).toBeGreaterThan(0);
      expect(row.ms, row.lib).toBeGreaterThan(0);
    }
    const fanout = results.fanout ?? [];
    expect(fanout.map((row) => row.server)).toEqual(['@lifeline/server', 'socket.io']);
    for (const row of fanout) {
      expect(row.clients).toBe(config.fanoutClients);
      expect(row.messagesPerSecond, row.server).toBeGreaterThan(0);
      expect(row.deliveriesPerSecond).toBeCloseTo(row.messagesPerSecond * row.clients);
      expect(finite(row.serverCpuPercent) && finite(row.clientCpuPercent)).toBe(true);
    }
    expect(markdown).toContain('### Server fan-out');
    expect(markdown).toContain('### Replay');
  });

  it('runs every capability suite: tables with all their cells filled, and their goals', () => {
    const extras = results.extras ?? [];
    expect([...new Set(extras.map((section) => section.suite))]).toEqual([
      'share',
      'persist',
      'fleet',
      'validation',
    ]);
    for (const section of extras) {
      expect(section.rows.length, section.title).toBeGreaterThan(0);
      for (const row of section.rows) {
        expect(row, section.title).toHaveLength(section.headers.length);
        for (const cell of row) expect(cell.trim(), section.title).not.toBe('');
      }
      expect(markdown).toContain(`### ${section.title}`);
    }
    for (const issue of [15, 16]) {
      expect(
        results.goals.some((goal) => goal.issue === issue),
        `issue ${issue}`,
      ).toBe(true);
    }
  });

  it('measures sizes and writes a report with goals and a chart', () => {
    const allIn = results.size.find((row) => row.name === 'lifeline (all-in)');
    expect(allIn?.gzipBytes).toBeGreaterThan(0);
    expect(allIn!.brotliBytes).toBeLessThan(allIn!.minBytes);
    for (const entry of ['script tag', 'script tag, development', 'ESM: Socket']) {
      expect(results.size.map((row) => row.name)).toContain(`lifeline (${entry})`);
    }
    expect(results.size.map((row) => row.name)).toContain('lifeline (ESM: ReconnectingSocket)');
    // The smaller entry priced part by part: every part costs something, and stubbing them all
    // leaves less than the entry.
    const parts = results.size.filter((row) =>
      row.name.startsWith('lifeline: ReconnectingSocket part: '),
    );
    expect(parts.map((row) => row.name.slice(row.name.indexOf('part: ') + 6))).toEqual([
      'eventemitter3 (the event base)',
      'the option checks',
      'the queue',
      'DOM-style listeners and handler properties',
      'the debug logger',
      'wake awareness',
      'network awareness',
    ]);
    for (const part of parts) expect(part.gzipBytes, part.name).toBeGreaterThan(50);
    const bare = results.size.find(
      (row) => row.name === 'lifeline (ReconnectingSocket without those parts)',
    );
    const entry = results.size.find((row) => row.name === 'lifeline (ESM: ReconnectingSocket)');
    expect(bare!.gzipBytes).toBeLessThan(entry!.gzipBytes! - 2_000);
    expect(results.sources[0]?.path).toMatch(/^packages\/\w+\/src\/.+\.tsx?$/);
    // Every row of issue 13's goals table (9, the script tag's twice: the features of its time
    // and as shipped) plus what each of the 4 capabilities since adds, the 5 of issue 8 it does
    // not restate, issue 14's.
    expect(results.goals.filter((goal) => goal.issue === 13)).toHaveLength(14);
    expect(results.goals.filter((goal) => goal.issue === 8)).toHaveLength(5);
    expect(results.goals.filter((goal) => goal.issue === 14)).toHaveLength(1);
    for (const goal of results.goals) {
      expect(goal.met, goal.goal).not.toBeNull();
      // Issue 13 restates where every goal started; 8 and 14 state none.
      if (goal.issue === 13) expect(goal.before, goal.goal).toBeDefined();
      if (goal.issue === 8 || goal.issue === 14) expect(goal.before, goal.goal).toBeUndefined();
    }
    expect(markdown).toMatch(/\| +before \(issue 13\) \|/);
    expect(markdown).toContain('lifeline (heartbeat on)');
    expect(markdown).toContain('## Method');
    expect(markdown).toContain(`Chromium ${results.machine.chromium}`);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('lifeline');
  });
});
