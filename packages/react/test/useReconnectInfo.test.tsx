import { type RetryInfo, Socket } from '@lifeline/core';
import { createTestServer, type TestServer } from '@lifeline/testing';
import { act, cleanup, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useReconnectInfo } from '../src';

const made: { server: TestServer; socket: Socket }[] = [];

/** A fake server and a socket on it that retries after exactly `delay` ms. */
function connected(delay: number) {
  const server = createTestServer();
  const socket = new Socket('ws://app.test/ws', {
    WebSocket: server.WebSocket,
    reconnect: { initialDelay: delay, maxDelay: delay, jitter: 'none' },
  });
  made.push({ server, socket });
  return { server, socket };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup();
  for (const { server, socket } of made.splice(0)) {
    socket.dispose();
    server.stop();
  }
  vi.useRealTimers();
});

/** Shows the info and records every render's value in `renders`. */
function Info({ socket, renders }: { socket: Socket | null; renders?: (RetryInfo | null)[] }) {
  const info = useReconnectInfo(socket);
  renders?.push(info);
  return <p data-testid="info">{info ? `${info.attempt}/${info.delay}` : 'none'}</p>;
}

const text = () => screen.getByTestId('info').textContent;
/** Lets the fake server accept, answer and close; never advances timers. */
const settle = (server: TestServer) => act(() => server.flush());

describe('useReconnectInfo', () => {
  it('shows the attempt, the delay and when the retry starts, and clears them on open', async () => {
    const { server, socket } = connected(300);
    const renders: (RetryInfo | null)[] = [];
    render(<Info socket={socket} renders={renders} />);
    await settle(server);
    expect(socket.status).toBe('open');
    expect(text()).toBe('none');

    act(() => server.drop());
    expect(text()).toBe('1/300');
    const info = renders.at(-1)!;
    expect(info).toBe(socket.retry);
    expect(info.retryAt - performance.now()).toBe(300); // the socket's monotonic clock

    await act(() => vi.advanceTimersByTimeAsync(300));
    await settle(server);
    expect(socket.status).toBe('open');
    expect(text()).toBe('none');
    expect(renders.at(-1)).toBeNull();
  });

  it('shows a wait already under way to a component mounted during it', async () => {
    const { server, socket } = connected(2000);
    await settle(server);
    server.drop(); // attempt 1 is scheduled before anything renders
    await act(() => vi.advanceTimersByTimeAsync(500));
    render(<Info socket={socket} />);
    expect(text()).toBe('1/2000');

    // The server stays down: attempt 2 is announced to the component mounted mid-wait.
    server.restart(10_000);
    await act(() => vi.advanceTimersByTimeAsync(1500));
    await settle(server);
    expect(text()).toBe('2/2000');
  });

  it('re-renders only when the info changes, not on every status change', async () => {
    const { server, socket } = connected(200);
    const renders: (RetryInfo | null)[] = [];
    render(<Info socket={socket} renders={renders} />);
    await settle(server); // connecting → open: no change
    expect(renders).toHaveLength(1);

    act(() => server.drop());
    expect(text()).toBe('1/200');
    await act(() => vi.advanceTimersByTimeAsync(200));
    await settle(server);
    expect(text()).toBe('none');
    // First render, the retry scheduled, the open that cleared it.
    expect(renders.map((r) => r?.attempt ?? 0)).toEqual([0, 1, 0]);
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

  it('reads null without a socket and during server rendering', async () => {
    const { server, socket } = connected(100);
    await settle(server);
    server.drop(); // even mid-wait, the server render shows nothing
    expect(socket.retry).not.toBeNull();
    expect(renderToString(<Info socket={socket} />)).toContain('none');
    render(<Info socket={null} />);
    expect(text()).toBe('none');
  });
});
