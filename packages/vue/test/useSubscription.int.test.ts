// useSubscription against the real server (@lifeline/server on `ws`) in Node: live status,
// published messages in order, and a resume after the connection is cut.
import type { StreamPosition } from '@lifeline/core';
import { createServer, type LifelineServer } from '@lifeline/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectScope, watch } from 'vue';
import { WebSocket as WS } from 'ws';
import { useSocket } from '../src/useSocket';
import { useSubscription } from '../src/useSubscription';

type Streams = { [room: `room:${string}`]: { chat: { text: string } } };

const WebSocket = WS as unknown as typeof globalThis.WebSocket;
let server: LifelineServer;
const connections: Array<{ socket: { terminate(): void } }> = [];

beforeAll(async () => {
  server = createServer({ port: 0 });
  server.on('connection', (ctx) => connections.push(ctx));
  await server.ready();
});
afterAll(() => server.close());

/** Resolves once `check()` holds, re-checked whenever a ref it reads changes; bounded. */
function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const stop = watch(
      check,
      (ok) => {
        if (!ok) return;
        clearTimeout(timer);
        queueMicrotask(() => stop());
        resolve();
      },
      { immediate: true, flush: 'sync' },
    );
  });
}

describe('useSubscription against @lifeline/server', () => {
  it('goes live, gets what the server publishes and resumes after a drop without loss', async () => {
    await server.publish('room:vue', 'chat', { text: 'before' }); // history, not news
    const lines: string[] = [];
    const scope = effectScope();
    const { status, position } = scope.run(() => {
      const { socket } = useSocket<{}, {}, {}, Streams>(`ws://127.0.0.1:${server.port}/ws`, {
        WebSocket,
        reconnect: { initialDelay: 20, maxDelay: 100, jitter: 'none' },
      });
      return useSubscription(socket, 'room:vue', (data) => lines.push(data.text));
    })!;
    await until(() => status.value === 'live', 'live');
    expect(position.value).toEqual<StreamPosition>({ epoch: expect.any(String), seq: '1' });

    await server.publish('room:vue', 'chat', { text: 'a' });
    await server.publish('room:vue', 'chat', { text: 'b' });
    await until(() => position.value?.seq === '3', 'seq 3');

    for (const connection of connections.splice(0)) connection.socket.terminate();
    await until(() => status.value === 'subscribing', 'the drop');
    await server.publish('room:vue', 'chat', { text: 'c' });
    await until(() => status.value === 'live' && position.value?.seq === '4', 'the resume');
    expect(lines).toEqual(['a', 'b', 'c']);

    scope.stop();
    expect(status.value).toBe('idle');
  });
});
