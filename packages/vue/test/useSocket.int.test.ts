// useSocket against a real `ws` server in Node: status refs across a server restart, a URL
// change between two servers, and a request/reply round trip.

import { afterEach, describe, expect, it } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { WebSocket as WS } from 'ws';
import { startTestServer, type TestServer } from '../../../test/support/ws-server';
import { useSocket } from '../src/useSocket';
import { useSocketMessage } from '../src/useSocketMessage';

const WebSocket = WS as unknown as typeof globalThis.WebSocket;
const fast = { initialDelay: 20, maxDelay: 100 };
const cleanup: Array<() => unknown> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function server(options?: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const started = await startTestServer(options);
  cleanup.push(() => started.close());
  return started;
}

function inScope<T>(fn: () => T): T {
  const scope = effectScope();
  cleanup.push(() => scope.stop());
  return scope.run(fn)!;
}

describe('useSocket with a real server', () => {
  it('tracks the status through a server restart', async () => {
    const srv = await server();
    const seen: string[] = [];
    const { status, socket } = inScope(() =>
      useSocket(srv.url('/'), { WebSocket, reconnect: fast }),
    );
    socket.value!.on('status', (next) => seen.push(next));
    await srv.waitFor(() => status.value === 'open', 5000, 'open');

    await srv.restart(200);
    await srv.waitFor(() => seen.includes('reconnecting'), 5000, 'reconnecting');
    await srv.waitFor(() => status.value === 'open', 5000, 'reopen');
    expect(seen).toEqual(expect.arrayContaining(['reconnecting', 'open']));
    expect(srv.upgrades).toHaveLength(2);
  });

  it('moves the same socket object to the new server when the URL ref changes', async () => {
    const first = await server();
    const second = await server();
    const url = ref(first.url('/'));
    const { socket, status, sendJson } = inScope(() =>
      useSocket(url, { WebSocket, reconnect: fast }),
    );
    await first.waitFor(() => status.value === 'open', 5000, 'open on first');
    const before = socket.value;
    const opens: boolean[] = [];
    before!.on('open', (event) => opens.push(event.reconnected));

    url.value = second.url('/');
    await nextTick();
    await second.waitFor(
      () => second.clients.size === 1 && status.value === 'open',
      5000,
      'second',
    );
    expect(first.clients.size).toBe(0);
    // One socket for the whole scope: a reconnect of the same object, not a new socket.
    expect(socket.value).toBe(before);
    expect(opens).toEqual([true]);
    expect(second.upgrades).toHaveLength(1);
    sendJson('hello', { to: 'second' });
    await second.waitFor(() => second.received.length === 1, 5000, 'frame on second');
    expect(JSON.parse(second.received[0]!)).toEqual({ type: 'hello', data: { to: 'second' } });
  });

  it('resolves a request with the reply and feeds data and useSocketMessage', async () => {
    const srv = await server({
      onConnection(client) {
        client.on('message', (raw) => {
          const { type, id, data } = JSON.parse(raw.toString());
          client.send(JSON.stringify({ type, re: id, data: data.a + data.b }));
          client.send(JSON.stringify({ type: 'note', data: 'summed' }));
        });
      },
    });
    const notes: unknown[] = [];
    const result = inScope(() => {
      const view = useSocket(srv.url('/'), { WebSocket });
      useSocketMessage(view.socket, 'note', (data) => notes.push(data));
      return view;
    });
    await expect(result.request('sum', { a: 2, b: 3 })).resolves.toBe(5);
    await srv.waitFor(() => notes.length === 1, 5000, 'note');
    expect(notes).toEqual(['summed']);
    expect(result.envelope.value).toMatchObject({ type: 'note', data: 'summed' });
  });

  it('closes the connection when the scope stops', async () => {
    const srv = await server();
    const scope = effectScope();
    const { status } = scope.run(() => useSocket(srv.url('/'), { WebSocket }))!;
    await srv.waitFor(() => status.value === 'open', 5000, 'open');
    scope.stop();
    await srv.waitFor(() => srv.clients.size === 0, 5000, 'server-side close');
  });
});
