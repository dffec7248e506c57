// @vitest-environment happy-dom
// A DOM for React to render into; the sockets are real (`ws`) and so is the server.
import type { SocketOptions, Status } from '@lifeline/core';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import { delay, startTestServer, type TestServer } from '../../../test/support/ws-server';
import { type UseSocketResult, useSocket } from '../src';

type In = { news: { headline: string } };
type Req = { sum: { data: { a: number; b: number }; reply: number } };

let server: TestServer;
const options: SocketOptions = {
  WebSocket: WS as unknown as SocketOptions['WebSocket'],
  reconnect: { initialDelay: 50, maxDelay: 200, jitter: 'none' },
};

beforeAll(async () => {
  server = await startTestServer({
    // Answers `sum` requests and pushes a headline to every new connection.
    onConnection(socket) {
      socket.send(JSON.stringify({ type: 'news', data: { headline: 'connected' } }));
      socket.on('message', (raw) => {
        const message = JSON.parse(String(raw));
        if (message.type === 'sum') {
          const reply = { type: 'sum', re: message.id, data: message.data.a + message.data.b };
          socket.send(JSON.stringify(reply));
        }
      });
    },
  });
});
afterEach(cleanup);
afterAll(() => server.close());

function Live({ onRender }: { onRender(result: UseSocketResult): void }) {
  const result = useSocket<In, Record<string, never>, Req>(server.url('/live'), options);
  onRender(result as UseSocketResult);
  return (
    <p data-testid="s">
      {result.status}|{result.lastMessage?.data?.headline}
    </p>
  );
}

/** Inline URL provider and option functions, as people write them: new closures each render. */
let tokenedRenders = 0;
function Tokened({ token }: { token: string }) {
  // A render loop would never yield to a timer: fail it rather than hang.
  if (++tokenedRenders > 1000) throw new Error('render loop: useSocket keeps changing its socket');
  const { status } = useSocket(() => server.url(`/tokened?token=${token}`), {
    ...options,
    protocols: () => ['chat.v1'],
    reconnect: { initialDelay: 50, maxDelay: 200, jitter: 'none', shouldReconnect: () => true },
  });
  return <p data-testid="s">{status}</p>;
}

const tokenedUpgrades = () => server.upgrades.filter((r) => r.url?.startsWith('/tokened'));

describe('useSocket against a real ws server', () => {
  it('keeps one connection across re-renders with inline functions, then dials the latest URL', async () => {
    const { rerender, unmount } = render(<Tokened token="t0" />);
    await waitFor(() => expect(screen.getByTestId('s').textContent).toBe('open'));
    for (let i = 1; i <= 30; i++) {
      rerender(<Tokened token={`t${i}`} />);
      await act(() => delay(5));
    }
    await act(() => delay(100));
    expect(tokenedUpgrades().map((r) => r.url)).toEqual(['/tokened?token=t0']);
    expect(server.clients.size).toBe(1);

    server.terminateAll(); // an unclean drop: the next attempt calls the provider again
    await server.waitFor(() => tokenedUpgrades().length === 2, 5000, 'the reconnect');
    expect(tokenedUpgrades()[1]!.url).toBe('/tokened?token=t30');
    expect(tokenedUpgrades()[1]!.headers['sec-websocket-protocol']).toBe('chat.v1');
    await waitFor(() => expect(screen.getByTestId('s').textContent).toBe('open'));

    unmount();
    await server.waitFor(() => server.clients.size === 0, 2000, 'the client to disconnect');
  });

  it('connects, answers a request, survives a server restart and closes on unmount', async () => {
    let latest: UseSocketResult | undefined;
    const statuses: Status[] = [];
    const { unmount } = render(
      <Live
        onRender={(r) => {
          latest = r;
          statuses.push(r.status);
        }}
      />,
    );
    await waitFor(() => expect(screen.getByTestId('s').textContent).toBe('open|connected'));
    expect(server.clients.size).toBe(1);

    const sum = await act(() => latest!.request('sum', { a: 2, b: 3 }));
    expect(sum).toBe(5);

    await act(() => server.restart(100));
    await waitFor(() => expect(screen.getByTestId('s').textContent).toBe('open|connected'), {
      timeout: 5000,
    });
    expect(statuses).toContain('reconnecting');
    expect(server.upgrades.filter((r) => r.url === '/live')).toHaveLength(2);

    unmount();
    await server.waitFor(() => server.clients.size === 0, 2000, 'the client to disconnect');
  });
});
