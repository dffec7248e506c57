// The React example of docs/guide/testing.md, tested as the guide shows it.
import type { SocketOptions } from '@lifeline/core';
import { useSocket, useSubscription } from '@lifeline/react';
import { createTestServer, type TestServer } from '@lifeline/testing';
import { act, cleanup, render, screen } from '@testing-library/react';
import { useEffect, useState } from 'react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

// ── the component under test ──
type Req = { history: { data: { room: string }; reply: string[] } };
type Streams = { [room: `room:${string}`]: { chat: { text: string } } };

export function Room({ id, options }: { id: string; options?: SocketOptions }) {
  const { socket, status } = useSocket<{}, {}, Req, Streams>('wss://chat.example.com/ws', options);
  const [lines, setLines] = useState<string[]>([]);
  useEffect(() => {
    // `socket` is null until the component mounts; the request waits for the connection.
    socket?.request('history', { room: id }).then(setLines, () => setLines(['(no history)']));
  }, [socket, id]);
  useSubscription(socket, `room:${id}`, (data) => setLines((all) => [...all, data.text]));
  return (
    <section>
      <p>{status}</p>
      <ul>
        {lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </section>
  );
}

// ── the test ──
let server: TestServer<{}, {}, Req, Streams>;
beforeEach(() => {
  vi.useFakeTimers();
  server = createTestServer<{}, {}, Req, Streams>();
  server.reply('history', ({ room }) => [`welcome to ${room}`]);
});
afterEach(async () => {
  cleanup();
  await act(() => server.flush()); // the shared socket is disposed a microtask after unmount
  server.stop();
  vi.useRealTimers();
});

it('shows the history, then live messages, and catches up after a dropped connection', async () => {
  render(<Room id="42" options={{ WebSocket: server.WebSocket }} />);
  await act(() => server.flush());
  expect(screen.getByText('open')).toBeTruthy();
  expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['welcome to 42']);

  act(() => void server.publish('room:42', 'chat', { text: 'hi' }));
  expect(screen.getByText('hi')).toBeTruthy();

  act(() => server.drop());
  expect(screen.getByText('reconnecting')).toBeTruthy();
  server.publish('room:42', 'chat', { text: 'sent while you were away' });
  await act(() => vi.advanceTimersByTimeAsync(30_000)); // past any backoff delay
  await act(() => server.flush());
  expect(screen.getByText('open')).toBeTruthy();
  expect(screen.getByText('sent while you were away')).toBeTruthy();

  cleanup(); // unmounted: the socket closes, and no timer is left behind
  await act(() => server.flush());
  expect(vi.getTimerCount()).toBe(0);
});
