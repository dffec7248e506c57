import { Socket } from '@lifeline/core';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { WebSocket as MockWebSocket, Server } from 'mock-socket';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { NOT_RECONNECTING, type ReconnectInfo, useReconnectInfo } from '../src';

const WebSocket = MockWebSocket as unknown as typeof globalThis.WebSocket;
let port = 42100;
const made: { server: Server; socket?: Socket }[] = [];

/** A mock-socket server on a fresh URL and a socket connected to it (retry after `delay` ms). */
function connected(delay: number) {
  const url = `ws://127.0.0.1:${port++}/ws`;
  const server = new Server(url);
  const socket = new Socket(url, {
    WebSocket,
    reconnect: { initialDelay: delay, maxDelay: delay, jitter: 'none' },
  });
  made.push({ server, socket });
  return { server, socket };
}

afterEach(() => {
  cleanup();
  for (const { server, socket } of made.splice(0)) {
    socket?.dispose();
    server.stop();
  }
});

/** Shows the info and counts its renders in `renders`. */
function Info({ socket, renders }: { socket: Socket | null; renders?: ReconnectInfo[] }) {
  const info = useReconnectInfo(socket);
  renders?.push(info);
  return <p data-testid="info">{`${info.attempt}/${info.delay ?? '-'}`}</p>;
}

const text = () => screen.getByTestId('info').textContent;
const dropFrom = (server: Server) =>
  server.clients()[0]!.close({ code: 1006, reason: 'drop', wasClean: false });

describe('useReconnectInfo', () => {
  it('shows the attempt, the delay and when the retry starts, and clears them on open', async () => {
    const { server, socket } = connected(300);
    const renders: ReconnectInfo[] = [];
    render(<Info socket={socket} renders={renders} />);
    await waitFor(() => expect(socket.status).toBe('open'));
    expect(text()).toBe('0/-');

    act(() => dropFrom(server));
    await waitFor(() => expect(text()).toBe('1/300'));
    const info = renders.at(-1)!;
    const left = info.retryAt! - Date.now();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(300);

    await waitFor(() => expect(socket.status).toBe('open'));
    await waitFor(() => expect(text()).toBe('0/-'));
    expect(renders.at(-1)).toBe(NOT_RECONNECTING);
  });

  it('re-renders only when the info changes, not on every status change', async () => {
    const { server, socket } = connected(200);
    const renders: ReconnectInfo[] = [];
    render(<Info socket={socket} renders={renders} />);
    await waitFor(() => expect(socket.status).toBe('open')); // connecting → open: no change
    expect(renders).toHaveLength(1);

    act(() => dropFrom(server));
    await waitFor(() => expect(text()).toBe('1/200'));
    await waitFor(() => expect(text()).toBe('0/-'));
    // First render, the retry scheduled, the open that cleared it.
    expect(renders.map((r) => r.attempt)).toEqual([0, 1, 0]);
  });

  it('stops listening after the last component unmounts, and keeps one listener under StrictMode', async () => {
    const { socket } = connected(100);
    const { unmount } = render(
      <StrictMode>
        <Info socket={socket} />
        <Info socket={socket} />
      </StrictMode>,
    );
    await act(async () => {});
    expect(socket.listenerCount('reconnecting')).toBe(1);
    unmount();
    await act(async () => {});
    expect(socket.listenerCount('reconnecting')).toBe(0);
    expect(socket.listenerCount('status')).toBe(0);
  });

  it('reads NOT_RECONNECTING without a socket and during server rendering', () => {
    const { socket } = connected(100);
    expect(renderToString(<Info socket={socket} />)).toContain('0/-');
    render(<Info socket={null} />);
    expect(text()).toBe('0/-');
    expect(NOT_RECONNECTING).toEqual({ attempt: 0, delay: undefined, retryAt: undefined });
  });
});
