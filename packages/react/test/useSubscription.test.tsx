import { Socket, type StreamPosition, type Subscription } from '@lifeline/core';
import { act, render, screen, waitFor } from '@testing-library/react';
import { StrictMode, useState } from 'react';
import { flushSync } from 'react-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type UseSubscriptionResult, useSocket, useSubscription } from '../src';
import { endpointsPerTest, type MockEndpoint } from './mockServer';
import { type StreamMock, speakStreams } from './streamMock';

type Streams = {
  [room: `room:${string}`]: { chat: { text: string } };
  forbidden: { chat: { text: string } };
};
type Typed = Socket<{}, {}, {}, Streams>;

const endpoint = endpointsPerTest();
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.dispose();
});

/** A socket open on a fresh mock server that speaks streams. */
async function openSocket(refuse: string[] = []): Promise<[Typed, StreamMock, MockEndpoint]> {
  const ep = endpoint();
  const streams = speakStreams(ep.server, refuse);
  const socket = new Socket<{}, {}, {}, Streams>(ep.url, ep.options);
  sockets.push(socket as Socket);
  await waitFor(() => expect(socket.status).toBe('open'));
  return [socket, streams, ep];
}

/** Lets mock-socket deliver (its client → server frames wait one timer) and React render. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 20)));
const text = () => screen.getByTestId('s').textContent;

interface RoomProps {
  socket: Typed | null;
  stream: `room:${string}` | 'forbidden' | null;
  onChat(line: string): void;
  showPosition?: boolean;
  options?: Parameters<typeof useSubscription>[3];
  onResult?(result: UseSubscriptionResult<Streams['room:x']>): void;
  onRender?(): void;
}

/** Passes a new inline handler on every render, as people write them. */
function Room({ socket, stream, onChat, showPosition, options, onResult, onRender }: RoomProps) {
  onRender?.();
  const result = useSubscription(socket, stream, (data) => onChat(data.text), options);
  onResult?.(result);
  const { status } = result;
  return <p data-testid="s">{showPosition ? `${status}@${result.position?.seq}` : status}</p>;
}

/** Bumps a round on each click: every render passes new inline functions. */
function Rounds({ socket, calls }: { socket: Typed; calls: string[] }) {
  const [round, setRound] = useState(0);
  const { status } = useSubscription(
    socket,
    'room:1',
    (data) => calls.push(`${round}:${data.text}`),
    {
      onGap: (gap) => calls.push(`${round}:gap ${gap.from}-${gap.to}`),
    },
  );
  return (
    <button type="button" data-testid="s" onClick={() => setRound((r) => r + 1)}>
      {status}
    </button>
  );
}

/** A socket from useSocket (null before mount), subscribed without a handler. */
function Shared({ ep }: { ep: MockEndpoint }) {
  const { socket: live } = useSocket<{}, {}, {}, Streams>(ep.url, ep.options);
  const { status } = useSubscription(live, 'room:2');
  return <p data-testid="s">{status}</p>;
}

describe('useSubscription', () => {
  it('goes live, delivers the messages and follows the position when it is read', async () => {
    const [socket, streams] = await openSocket();
    const lines: string[] = [];
    render(<Room socket={socket} stream="room:1" onChat={(l) => lines.push(l)} showPosition />);
    await waitFor(() => expect(text()).toBe('live@0'));
    act(() => {
      streams.publish('room:1', 'chat', { text: 'a' });
      streams.publish('room:1', 'chat', { text: 'b' });
    });
    await waitFor(() => expect(text()).toBe('live@2'));
    expect(lines).toEqual(['a', 'b']);
    expect(streams.count('subscribe')).toBe(1);
  });

  it('re-renders on status only when the component never reads the position', async () => {
    const [socket, streams] = await openSocket();
    let renders = 0;
    const lines: string[] = [];
    render(
      <Room
        socket={socket}
        stream="room:1"
        onChat={(l) => lines.push(l)}
        onRender={() => renders++}
      />,
    );
    await waitFor(() => expect(text()).toBe('live'));
    const before = renders;
    for (let i = 0; i < 5; i++) act(() => void streams.publish('room:1', 'chat', { text: `${i}` }));
    await settle();
    expect(lines).toHaveLength(5);
    expect(renders).toBe(before);
  });

  it('calls the latest handler and callbacks without subscribing again', async () => {
    const [socket, streams] = await openSocket();
    const subscribe = vi.spyOn(socket, 'subscribe');
    const calls: string[] = [];
    render(<Rounds socket={socket} calls={calls} />);
    await waitFor(() => expect(text()).toBe('live'));
    act(() => void streams.publish('room:1', 'chat', { text: 'a' }));
    act(() => screen.getByTestId('s').click());
    act(() => screen.getByTestId('s').click());
    act(() => void streams.publish('room:1', 'chat', { text: 'b' }));
    act(() => streams.push('room:1', '5', 'chat', { text: 'e' })); // seq 3 and 4 missing
    await settle();
    expect(calls).toEqual(['0:a', '2:b', '2:gap 3-4']);
    expect(subscribe).toHaveBeenCalledTimes(1);
    // The gap re-subscribes from the position: core's doing, not a new subscription.
    expect(streams.frames.filter((f) => f.type === 'subscribe').map((f) => f.data?.since)).toEqual([
      undefined,
      { epoch: 'e1', seq: '2' },
    ]);
  });

  it('moves to a new stream: the old one is unsubscribed and its messages stop', async () => {
    const [socket, streams] = await openSocket();
    const lines: string[] = [];
    const { rerender } = render(
      <Room socket={socket} stream="room:1" onChat={(l) => lines.push(l)} />,
    );
    await waitFor(() => expect(streams.subscribers('room:1')).toBe(1));
    rerender(<Room socket={socket} stream="room:2" onChat={(l) => lines.push(l)} />);
    await settle();
    expect(text()).toBe('live');
    expect(streams.count('unsubscribe', 'room:1')).toBe(1);
    expect(streams.subscribers('room:1')).toBe(0);
    expect(streams.subscribers('room:2')).toBe(1);
    act(() => {
      streams.publish('room:1', 'chat', { text: 'old' });
      streams.publish('room:2', 'chat', { text: 'new' });
    });
    await settle();
    expect(lines).toEqual(['new']);

    rerender(<Room socket={socket} stream={null} onChat={(l) => lines.push(l)} />);
    await settle();
    expect(text()).toBe('idle');
    expect(streams.count('unsubscribe', 'room:2')).toBe(1);
  });

  it('unsubscribes every stream it left, even when it moves twice before a microtask', async () => {
    const [socket, streams] = await openSocket();
    const { rerender } = render(<Room socket={socket} stream="room:1" onChat={() => {}} />);
    await waitFor(() => expect(text()).toBe('live'));
    flushSync(() => rerender(<Room socket={socket} stream="room:2" onChat={() => {}} />));
    flushSync(() => rerender(<Room socket={socket} stream="room:3" onChat={() => {}} />));
    await settle();
    expect(text()).toBe('live');
    expect([1, 2, 3].map((n) => streams.subscribers(`room:${n}`))).toEqual([0, 0, 1]);
  });

  it('moves to a new socket: the old socket keeps no subscription', async () => {
    const [first, oldStreams] = await openSocket();
    const [second, newStreams] = await openSocket();
    const { rerender } = render(<Room socket={first} stream="room:1" onChat={() => {}} />);
    await waitFor(() => expect(oldStreams.subscribers('room:1')).toBe(1));
    rerender(<Room socket={second} stream="room:1" onChat={() => {}} />);
    await waitFor(() => expect(newStreams.subscribers('room:1')).toBe(1));
    await waitFor(() => expect(text()).toBe('live'));
    expect(oldStreams.count('unsubscribe', 'room:1')).toBe(1);
    expect(newStreams.count('subscribe')).toBe(1);
  });

  it('unsubscribes on unmount and leaves no listener on the socket or the subscription', async () => {
    const [socket, streams] = await openSocket();
    const before = socket.eventNames().map((name) => [name, socket.listenerCount(name)]);
    let handle: Subscription | null = null;
    const { unmount } = render(
      <Room
        socket={socket}
        stream="room:1"
        onChat={() => {}}
        onResult={(r) => (handle = r.subscription)}
      />,
    );
    await waitFor(() => expect(text()).toBe('live'));
    expect(handle!.listenerCount('message')).toBeGreaterThan(0);
    unmount();
    await settle();
    expect(streams.count('unsubscribe', 'room:1')).toBe(1);
    expect(handle!.status).toBe('closed');
    expect(handle!.eventNames()).toEqual([]);
    expect(socket.eventNames().map((name) => [name, socket.listenerCount(name)])).toEqual(before);
  });

  it('sends exactly one subscribe under StrictMode, to an open socket and to a useSocket one', async () => {
    const [socket, streams] = await openSocket();
    const subscribe = vi.spyOn(socket, 'subscribe');
    const { unmount } = render(
      <StrictMode>
        <Room socket={socket} stream="room:1" onChat={() => {}} />
      </StrictMode>,
    );
    await waitFor(() => expect(text()).toBe('live'));
    await settle();
    expect(subscribe).toHaveBeenCalledTimes(1);
    expect(streams.count('subscribe')).toBe(1);
    expect(streams.count('unsubscribe')).toBe(0);
    unmount();
    await settle();
    expect(streams.count('unsubscribe')).toBe(1);

    const ep = endpoint();
    const shared = speakStreams(ep.server);
    render(
      <StrictMode>
        <Shared ep={ep} />
      </StrictMode>,
    );
    await waitFor(() => expect(text()).toBe('live'));
    await settle();
    expect(shared.count('subscribe')).toBe(1);
    expect(shared.count('unsubscribe')).toBe(0);
    expect(ep.created()).toBe(1);
  });

  it('reports a refusal: status closed, the latest onError called, no second subscribe', async () => {
    const [socket, streams] = await openSocket(['forbidden']);
    const socketErrors = vi.fn();
    socket.on('error', socketErrors);
    const errors: string[] = [];
    const { rerender } = render(
      <Room
        socket={socket}
        stream="forbidden"
        onChat={() => {}}
        options={{ onError: () => errors.push('old') }}
      />,
    );
    rerender(
      <Room
        socket={socket}
        stream="forbidden"
        onChat={() => {}}
        options={{ onError: (error) => errors.push(`new ${(error as { code?: string }).code}`) }}
      />,
    );
    await waitFor(() => expect(text()).toBe('closed'));
    expect(errors).toEqual(['new ERR_REMOTE']);
    expect(socketErrors).not.toHaveBeenCalled(); // taken by onError
    expect(streams.count('subscribe')).toBe(1);
  });

  it('is idle and subscribes nothing without a socket or a stream', async () => {
    const [socket, streams] = await openSocket();
    const subscribe = vi.spyOn(socket, 'subscribe');
    let result: UseSubscriptionResult<Streams['room:x']> | undefined;
    const { rerender } = render(
      <Room socket={null} stream="room:1" onChat={() => {}} onResult={(r) => (result = r)} />,
    );
    rerender(
      <Room socket={socket} stream={null} onChat={() => {}} onResult={(r) => (result = r)} />,
    );
    await settle();
    expect(text()).toBe('idle');
    expect(result).toMatchObject({ status: 'idle', position: undefined, subscription: null });
    expect(subscribe).not.toHaveBeenCalled();
    expect(streams.frames).toEqual([]);
  });

  it('shows the position the server replied with before any message', async () => {
    const [socket, streams] = await openSocket();
    streams.publish('room:1', 'chat', { text: 'history' });
    streams.publish('room:1', 'chat', { text: 'history' });
    let position: StreamPosition | undefined;
    render(
      <Room
        socket={socket}
        stream="room:1"
        onChat={() => {}}
        onResult={(r) => (position = r.position)}
      />,
    );
    await waitFor(() => expect(position).toEqual({ epoch: 'e1', seq: '2' }));
  });
});
