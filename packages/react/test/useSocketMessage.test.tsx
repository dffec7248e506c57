import { Socket } from '@lifeline/core';
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useSocketMessage } from '../src';
import { type Endpoint, fakeEndpoint } from './endpoint';

type In = { chat: { text: string }; other: number };

let ep: Endpoint;
let socket: Socket<In>;

afterEach(() => {
  cleanup();
  socket?.dispose();
  ep?.stop();
});

async function openSocket() {
  ep = fakeEndpoint();
  socket = new Socket<In>(ep.url, ep.options);
  await waitFor(() => expect(socket.status).toBe('open'));
}

/** Subscribes with a new arrow function on every render; `bump` forces a render. */
function RoundListener({ calls, expose }: { calls: string[]; expose(bump: () => void): void }) {
  const [round, setRound] = useState(0);
  expose(() => setRound((r) => r + 1));
  useSocketMessage(socket, 'chat', (data) => calls.push(`${round}:${data.text}`));
  return null;
}

function OtherListener({ from, handler }: { from: Socket<In> | null; handler(d: number): void }) {
  useSocketMessage(from, 'other', handler);
  return null;
}

describe('useSocketMessage', () => {
  it('calls the latest handler without re-subscribing when the handler changes', async () => {
    await openSocket();
    const subscribe = vi.spyOn(socket, 'onMessage');
    const calls: string[] = [];
    let bump = () => {};
    render(<RoundListener calls={calls} expose={(b) => (bump = b)} />);
    act(() => ep.broadcast('chat', { text: 'a' }));
    await waitFor(() => expect(calls).toEqual(['0:a']));
    act(() => bump());
    act(() => bump());
    act(() => ep.broadcast('chat', { text: 'b' }));
    await waitFor(() => expect(calls).toEqual(['0:a', '2:b']));
    expect(subscribe).toHaveBeenCalledTimes(1);
  });

  it('only receives its own type and stops at unmount', async () => {
    await openSocket();
    const handler = vi.fn();
    const { unmount } = render(<OtherListener from={socket} handler={handler} />);
    act(() => ep.broadcast('chat', { text: 'ignored' }));
    act(() => ep.broadcast('other', 7));
    await waitFor(() => expect(handler).toHaveBeenCalledTimes(1));
    expect(handler.mock.calls[0]![0]).toBe(7);
    expect(handler.mock.calls[0]![1]).toMatchObject({ type: 'other', data: 7 });
    unmount();
    act(() => ep.broadcast('other', 8));
    // A round trip through the mock server: anything still subscribed would have run by now.
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('accepts a missing socket and does nothing', () => {
    const handler = vi.fn();
    expect(() => render(<OtherListener from={null} handler={handler} />)).not.toThrow();
    expect(handler).not.toHaveBeenCalled();
  });
});
