// The kit against the real @lifeline/server with the conformance fixture: every check passes,
// the oversize one included (the checker is told the server's limit).
import { createServer, type LifelineServer, memoryStore } from '@lifeline/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKS,
  conformanceStore,
  formatReport,
  installConformanceFixture,
  runConformance,
  SMALL_WINDOW,
} from '../src/index';

const MAX_PAYLOAD = 64 * 1024;
let server: LifelineServer;
let url: string;

beforeAll(async () => {
  server = createServer({
    port: 0,
    maxPayload: MAX_PAYLOAD,
    store: conformanceStore(memoryStore(), memoryStore({ maxPerStream: SMALL_WINDOW })),
  });
  installConformanceFixture(server);
  await server.ready();
  url = `ws://127.0.0.1:${server.port}/ws`;
});
afterAll(() => server.close());

describe('@lifeline/server with the conformance fixture', () => {
  it('passes every check', async () => {
    const report = await runConformance(url, { maxPayload: MAX_PAYLOAD, timeout: 2000 });
    expect(
      report.results.filter((result) => result.status !== 'pass'),
      formatReport(report),
    ).toEqual([]);
    expect(report.results.map((result) => result.id)).toEqual(CHECKS.map((check) => check.id));
    expect(report.ok).toBe(true);
  });
});
