// Debug logs through restarts, drops, failed attempts and bad provider URLs never carry the
// token, whether it sits in the URL's `?token=` or comes from a rotating URL provider.
import { type LogRecord, Socket } from '@lifeline/core';
import { describe, expect, it } from 'vitest';
import { chaosSuite } from '../support/chaos-suite';
import { GuardedWebSocket } from '../support/guarded-ws';
import { sleep, waitUntil } from '../support/wait';
import { startTestServer } from '../support/ws-server';

const WebSocket = GuardedWebSocket as never;
const reconnect = { initialDelay: 20, maxDelay: 300 };
const { report, cleanup } = chaosSuite(import.meta.url, { checkUnhandled: true });

describe('debug log redaction', () => {
  it('never logs the token of a fixed URL or of a rotating URL provider', async () => {
    const server = await startTestServer();
    cleanup.push(() => server.close());
    const records: LogRecord[] = [];
    const debug = (record: LogRecord) => records.push(record);

    const fixed = new Socket(
      server.url('/ws?room=1&token=FIXED-SECRET-1&access_token=FIXED-SECRET-2'),
      {
        WebSocket,
        reconnect,
        debug,
      },
    );
    cleanup.push(() => fixed.dispose());
    const tokens: string[] = ['FIXED-SECRET-1', 'FIXED-SECRET-2'];
    let attempt = 0;
    const rotating = new Socket(
      () => {
        const token = `ROTATING-SECRET-${++attempt}`;
        tokens.push(token);
        // Every third attempt the provider returns a URL the socket must refuse.
        return attempt % 3 === 0
          ? `ftp://127.0.0.1:${server.port}/ws?token=${token}`
          : `${server.url('/ws')}?token=${token}&v=2`;
      },
      { WebSocket, reconnect, debug },
    );
    cleanup.push(() => rotating.dispose());
    const errors: string[] = [];
    rotating.on('error', (error) => errors.push(error.message));

    await waitUntil(() => fixed.status === 'open' && rotating.status === 'open', 5000, 'both open');
    for (let i = 0; i < 3; i++) {
      await server.restart(100, 1012);
      await waitUntil(
        () => fixed.status === 'open' && rotating.status === 'open',
        10_000,
        'both reopen',
      );
    }
    server.terminateAll();
    await waitUntil(
      () => fixed.status === 'open' && rotating.status === 'open',
      10_000,
      'reopen after drop',
    );
    fixed.close();
    rotating.close();
    await sleep(50);

    const log = JSON.stringify(records);
    const leaked = tokens.filter((token) => log.includes(token));
    report.add({
      scenario: 'debug log redaction',
      faults: '3 restarts + 1 drop + bad provider URLs',
      sent: 0,
      received: 0,
      lost: 0,
      duplicated: 0,
      notes: `${records.length} log records, ${tokens.length} tokens used, ${leaked.length} leaked`,
    });
    // The scenario did exercise what it claims: several tokens, URLs logged, a refused URL.
    expect(attempt).toBeGreaterThanOrEqual(3);
    expect(errors.some((message) => message.includes('ftp:'))).toBe(true);
    expect(records.filter((r) => r.event === 'connecting').length).toBeGreaterThanOrEqual(8);
    expect(log).toContain('[redacted]');
    expect(leaked).toEqual([]);
  });
});
