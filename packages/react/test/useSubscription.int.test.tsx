// @vitest-environment happy-dom
// A DOM for React to render into; the socket (`ws`) and the server (@lifeline/server) are real.
import { Socket, type SocketOptions } from '@lifeline/core';
import { createServer, type LifelineServer } from '@lifeline/server';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import { useSubscription } from '../src';

type Streams = { [room: `room:${string}`]: { chat: { text: string } } };

let server: LifelineServer;
const connections: Array<{ socket: { terminate(): void } }> = [];
const options: SocketOptions = {
  WebSocket: WS as unknown as SocketOptions['WebSocket'],
  reconnect: { initialDelay: 20, maxDelay: 100, jitter: 'none' },
};

beforeAll(async () => {
  server = createServer({ port: 0 });
  server.on('connection', (ctx) => connections.push(ctx));
  await server.ready();
});
afterEach(cleanup);
afterAll(() => server.close());

function Room({ socket }: { socket: Socket<{}, {}, {}, Streams> }) {
  const [lines, setLines] = useState<string[]>([]);
  const { status, position } = useSubscription(socket, 'room:int', (data) =>
    setLines((all) => [...all, data.text]),
  );
  return (
    <p data-testid="s">
      {status}@{position?.seq}|{lines.join(',')}
    </p>
  );
}

const text = () => screen.getByTestId('s').textContent;

describe('useSubscription against @lifeline/server', () => {
  it('goes live, gets what the server publishes and resumes after a drop without loss', async () => {
    await server.publish('room:int', 'chat', { text: 'before' }); // history, not news
    const socket = new Socket<{}, {}, {}, Streams>(`ws://127.0.0.1:${server.port}/ws`, options);
    const { unmount } = render(<Room socket={socket} />);
    await waitFor(() => expect(text()).toBe('live@1|'));

    await act(() => server.publish('room:int', 'chat', { text: 'a' }));
    await act(() => server.publish('room:int', 'chat', { text: 'b' }));
    await waitFor(() => expect(text()).toBe('live@3|a,b'));

    // Cut the connection; what is published meanwhile is replayed on the resubscribe.
    for (const connection of connections.splice(0)) connection.socket.terminate();
    await waitFor(() => expect(text()).not.toMatch(/^live/));
    await act(() => server.publish('room:int', 'chat', { text: 'c' }));
    await waitFor(() => expect(text()).toBe('live@4|a,b,c'), { timeout: 5000 });

    unmount();
    socket.dispose();
  });
});
