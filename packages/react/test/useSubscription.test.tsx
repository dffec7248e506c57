import { Socket, type StreamPosition, type Subscription } from '@lifeline/core';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { StrictMode, useState } from 'react';
import { flushSync } from 'react-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type UseSubscriptionResult, useSocket, useSubscription } from '../src';
import {
  count,
  push,
  streamServer,
  subscribers,
  subscribes,
  type TestServer,
} from './streamServer';

type Streams = {
  [room: `room:${string}`]: { chat: { text: string } };
  forbidden: { chat: { text: string } };
};
type Typed = Socket<{}, {}, {}, Streams>;

const URL = 'ws://stream.test/ws';
const sockets: Socket[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  cleanup();
  await Promise.resolve(); // the registry disposes released sockets a microtask after unmount
  for (const socket of sockets.splice(0)) socket.dispose();
  for (const server of servers.splice(0)) server.stop();
});

function newServer(refuse: string[] = []): TestServer {
  const server = streamServer(refuse);
  servers.push(server);
  return server;
}

/** A socket open on a fresh fake server. */
async function openSocket(refuse: string[] = []): Promise<[Typed, TestServer]> {
  const server = newServer(refuse);
  const socket = new Socket<{}, {}, {}, Streams>(URL, { WebSocket: server.WebSocket });
  sockets.push(socket as Socket);
  await act(() => server.waitFor(() => socket.status === 'open'));
  return [socket, server];
}

/** Lets every frame in flight arrive (the kit needs no timer for that) and React render. */
const settle = () =>
  act(async () => {
    for (const server of servers) await server.flush();
  });
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
function Shared({ server }: { server: TestServer }) {
  const { socket: live } = useSocket<{}, {}, {}, Streams>(URL, { WebSocket: server.WebSocket });
  const { status } = useSubscription(live, 'room:2');
  return <p data-testid="s">{status}</p>;
}

describe('useSubscription', () => {
  it('goes live, delivers the messages and follows the position when it is read', async () => {
    const [socket, server] = await openSocket();
    const lines: string[] = [];
    render(<Room socket={socket} stream="room:1" onChat={(l) => lines.push(l)} showPosition />);
    await waitFor(() => expect(text()).toBe('live@0'));
    act(() => {
      server.publish('room:1', 'chat', { text: 'a' });
      server.publish('room:1', 'chat', { text: 'b' });
    });
    await waitFor(() => expect(text()).toBe('live@2'));
    expect(lines).toEqual(['a', 'b']);
    expect(count(server, 'subscribe')).toBe(1);
  });

  it('re-renders on status only when the component never reads the position', async () => {
    const [socket, server] = await openSocket();
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
    for (let i = 0; i < 5; i++) act(() => void server.publish('room:1', 'chat', { text: `${i}` }));
    await settle();
    expect(lines).toHaveLength(5);
    expect(renders).toBe(before);
  });

  it('calls the latest handler and callbacks without subscribing again', async () => {
    const [socket, server] = await openSocket();
    const subscribe = vi.spyOn(socket, 'subscribe');
    const calls: string[] = [];
    render(<Rounds socket={socket} calls={calls} />);
    await waitFor(() => expect(text()).toBe('live'));
    act(() => void server.publish('room:1', 'chat', { text: 'a' }));
    act(() => screen.getByTestId('s').click());
    act(() => screen.getByTestId('s').click());
    act(() => void server.publish('room:1', 'chat', { text: 'b' }));
    act(() => push(server, 'room:1', '5', 'chat', { text: 'e' })); // seq 3 and 4 missing
    await settle();
    expect(calls).toEqual(['0:a', '2:b', '2:gap 3-4']);
    expect(subscribe).toHaveBeenCalledTimes(1);
    // The gap re-subscribes from the position: core's doing, not a new subscription.
    expect(subscribes(server).map((data) => (data as { since?: unknown }).since)).toEqual([
      undefined,
      { epoch: 'e1', seq: '2' },
    ]);
  });

  it('moves to a new stream: the old one is unsubscribed and its messages stop', async () => {
    const [socket, server] = await openSocket();
    const lines: string[] = [];
    const { rerender } = render(
      <Room socket={socket} stream="room:1" onChat={(l) => lines.push(l)} />,
    );
    await waitFor(() => expect(subscribers(server, 'room:1')).toBe(1));
    rerender(<Room socket={socket} stream="room:2" onChat={(l) => lines.push(l)} />);
    await settle();
    expect(text()).toBe('live');
    expect(count(server, 'unsubscribe', 'room:1')).toBe(1);
    expect(subscribers(server, 'room:1')).toBe(0);
    expect(subscribers(server, 'room:2')).toBe(1);
    act(() => {
      server.publish('room:1', 'chat', { text: 'old' });
      server.publish('room:2', 'chat', { text: 'new' });
    });
    await settle();
    expect(lines).toEqual(['new']);

    rerender(<Room socket={socket} stream={null} onChat={(l) => lines.push(l)} />);
    await settle();
    expect(text()).toBe('idle');
    expect(count(server, 'unsubscribe', 'room:2')).toBe(1);
  });

  it('unsubscribes every stream it left, even when it moves twice before a microtask', async () => {
    const [socket, server] = await openSocket();
    const { rerender } = render(<Room socket={socket} stream="room:1" onChat={() => {}} />);
    await waitFor(() => expect(text()).toBe('live'));
    flushSync(() => rerender(<Room socket={socket} stream="room:2" onChat={() => {}} />));
    flushSync(() => rerender(<Room socket={socket} stream="room:3" onChat={() => {}} />));
    await settle();
    expect(text()).toBe('live');
    expect([1, 2, 3].map((n) => subscribers(server, `room:${n}`))).toEqual([0, 0, 1]);
  });

  it('moves to a new socket: the old socket keeps no subscription', async () => {
    const [first, oldServer] = await openSocket();
    const [second, newServer_] = await openSocket();
    const { rerender } = render(<Room socket={first} stream="room:1" onChat={() => {}} />);
    await waitFor(() => expect(subscribers(oldServer, 'room:1')).toBe(1));
    rerender(<Room socket={second} stream="room:1" onChat={() => {}} />);
    await waitFor(() => expect(subscribers(newServer_, 'room:1')).toBe(1));
    await waitFor(() => expect(text()).toBe('live'));
    expect(count(oldServer, 'unsubscribe', 'room:1')).toBe(1);
    expect(count(newServer_, 'subscribe')).toBe(1);
  });

  it('unsubscribes on unmount and leaves no listener on the socket or the subscription', async () => {
    const [socket, server] = await openSocket();
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
    expect(count(server, 'unsubscribe', 'room:1')).toBe(1);
    expect(handle!.status).toBe('closed');
    expect(handle!.eventNames()).toEqual([]);
    expect(socket.eventNames().map((name) => [name, socket.listenerCount(name)])).toEqual(before);
  });

  it('sends exactly one subscribe under StrictMode, to an open socket and to a useSocket one', async () => {
    const [socket, server] = await openSocket();
    const subscribe = vi.spyOn(socket, 'subscribe');
    const { unmount } = render(
      <StrictMode>
        <Room socket={socket} stream="room:1" onChat={() => {}} />
      </StrictMode>,
    );
    await waitFor(() => expect(text()).toBe('live'));
    await settle();
    expect(subscribe).toHaveBeenCalledTimes(1);
    expect(count(server, 'subscribe')).toBe(1);
    expect(count(server, 'unsubscribe')).toBe(0);
    unmount();
    await settle();
    expect(count(server, 'unsubscribe')).toBe(1);

    const shared = newServer();
    render(
      <StrictMode>
        <Shared server={shared} />
      </StrictMode>,
    );
    await waitFor(() => expect(text()).toBe('live'));
    await settle();
    expect(count(shared, 'subscribe')).toBe(1);
    expect(count(shared, 'unsubscribe')).toBe(0);
    expect(shared.attempts).toBe(1);
  });

  it('reports a refusal: status closed, the latest onError called, no second subscribe', async () => {
    const [socket, server] = await openSocket(['forbidden']);
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
    expect(count(server, 'subscribe')).toBe(1);
  });

  it('is idle and subscribes nothing without a socket or a stream', async () => {
    const [socket, server] = await openSocket();
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
    expect(server.received).toEqual([]);
  });

  it('shows the position the server replied with before any message', async () => {
    const [socket, server] = await openSocket();
    server.publish('room:1', 'chat', { text: 'history' });
    server.publish('room:1', 'chat', { text: 'history' });
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
