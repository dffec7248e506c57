// How useSocket shares sockets: inline functions keep one connection across renders and the
// socket calls the latest of them; closing a shared socket and mounting again reopens it.
import type { Envelope, Socket, SocketOptions } from '@lifeline/core';
import { createTestServer } from '@lifeline/testing';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSocket } from '../src';
import { sharedSocketCount } from '../src/registry';
import { endpointsPerTest } from './endpoint';

const endpoint = endpointsPerTest();

const settle = () => act(async () => {});
const text = (id = 's') => screen.getByTestId(id).textContent;

type Chat = { chat: { text: string } };
const seenRecords: unknown[] = [];

// A render loop (a new socket key on every render) would spin without yielding to any timer,
// so a test would hang rather than fail: cap the renders a test may make.
let renders = 0;
beforeEach(() => {
  renders = 0;
});
function countRender(): void {
  if (++renders > 1000) throw new Error('render loop: useSocket keeps changing its socket');
}

/** Every function option written inline, as people write them: new closures on each render. */
function Inline(props: {
  url: string;
  ws: SocketOptions['WebSocket'];
  onSocket?(s: Socket): void;
}) {
  countRender();
  const { socket, status, lastMessage } = useSocket<Chat>(() => props.url, {
    WebSocket: props.ws,
    protocols: () => [],
    reconnect: { initialDelay: 5, maxDelay: 5, shouldReconnect: () => true },
    debug: (record) => seenRecords.push(record),
    codec: {
      encode: (envelope: Envelope) => JSON.stringify(envelope),
      decode: (data: unknown) => (typeof data === 'string' ? JSON.parse(data) : undefined),
    },
  });
  if (socket) props.onSocket?.(socket);
  return (
    <p data-testid="s">
      {status}
      {lastMessage?.type === 'chat' ? `:${lastMessage.data.text}` : ''}
    </p>
  );
}

describe('useSocket with inline functions', () => {
  it('opens one WebSocket however many times the component re-renders', async () => {
    const ep = endpoint();
    const sockets = new Set<Socket>();
    const view = <Inline url={ep.url} ws={ep.options.WebSocket} onSocket={(s) => sockets.add(s)} />;
    const { rerender } = render(view);
    await waitFor(() => expect(text()).toBe('open'));
    const before = sharedSocketCount();
    for (let i = 0; i < 50; i++) {
      rerender(<Inline url={ep.url} ws={ep.options.WebSocket} onSocket={(s) => sockets.add(s)} />);
    }
    await settle();
    act(() => ep.broadcast('chat', { text: 'decoded by the inline codec' }));
    await waitFor(() => expect(text()).toBe('open:decoded by the inline codec'));
    expect(ep.created()).toBe(1);
    expect(sockets.size).toBe(1);
    expect(sharedSocketCount()).toBe(before);
    expect(seenRecords.length).toBeGreaterThan(0); // the inline debug function is called
  });

  it('opens one WebSocket under StrictMode with inline functions', async () => {
    const ep = endpoint();
    render(
      <StrictMode>
        <Inline url={ep.url} ws={ep.options.WebSocket} />
      </StrictMode>,
    );
    await waitFor(() => expect(text()).toBe('open'));
    await settle();
    expect(ep.created()).toBe(1);
  });

  it('calls the latest render’s URL provider on the next attempt, without reconnecting first', async () => {
    // One server for both URLs (it accepts any): its connections tell which URL each used.
    const server = createTestServer();
    const [first, second] = ['ws://latest-a.test/ws', 'ws://latest-b.test/ws'];
    const urls = () => server.connections.map((connection) => connection.url);
    const sockets = new Set<Socket>();
    const ws = server.WebSocket;
    const { rerender } = render(<Inline url={first} ws={ws} onSocket={(s) => sockets.add(s)} />);
    await waitFor(() => expect(text()).toBe('open'));

    rerender(<Inline url={second} ws={ws} onSocket={(s) => sockets.add(s)} />);
    await settle();
    expect(urls()).toEqual([first]); // a new closure alone does not reconnect
    expect(server.open).toHaveLength(1);

    act(() => server.drop());
    await waitFor(() => expect(urls()).toEqual([first, second]));
    await waitFor(() => expect(text()).toBe('open'));
    expect(sockets.size).toBe(1);
    cleanup();
    await act(() => server.flush());
    server.stop();
  });
});

/** A component whose URL provider captures a prop, like a room id. */
function Room({ url, id, options }: { url: string; id: string; options: SocketOptions }) {
  countRender();
  const { status } = useSocket(() => url, options);
  return <p data-testid={id}>{status}</p>;
}

const moduleProvider = (() => {
  let url = '';
  return { set: (next: string) => (url = next), get: () => url };
})();

function Lobby({ id, options }: { id: string; options: SocketOptions }) {
  return <p data-testid={id}>{useSocket(moduleProvider.get, options).status}</p>;
}

describe('useSocket sharing through functions', () => {
  it('never merges two components’ inline closures, which may capture different values', async () => {
    const a = endpoint();
    const b = endpoint();
    render(
      <>
        <Room id="a" url={a.url} options={a.options} />
        <Room id="b" url={b.url} options={b.options} />
      </>,
    );
    await waitFor(() => expect([text('a'), text('b')]).toEqual(['open', 'open']));
    expect([a.connections.length, b.connections.length]).toEqual([1, 1]);
  });

  it('shares one socket between components passing the same function object', async () => {
    const ep = endpoint();
    moduleProvider.set(ep.url);
    render(
      <>
        <Lobby id="a" options={ep.options} />
        <Lobby id="b" options={{ ...ep.options }} />
      </>,
    );
    await waitFor(() => expect([text('a'), text('b')]).toEqual(['open', 'open']));
    expect(ep.created()).toBe(1);
  });
});

function User({
  url,
  id,
  options,
  onSocket,
}: {
  url: string;
  id: string;
  options: SocketOptions;
  onSocket?(socket: Socket): void;
}) {
  const { socket, status } = useSocket(url, options);
  if (socket) onSocket?.(socket);
  return <p data-testid={id}>{status}</p>;
}

describe('close() on a shared socket', () => {
  it('closes it for every user; a component mounting later reopens the same socket', async () => {
    const ep = endpoint();
    let shared: Socket | undefined;
    const users = (third: boolean) => (
      <>
        <User id="a" url={ep.url} options={ep.options} onSocket={(s) => (shared ??= s)} />
        <User id="b" url={ep.url} options={ep.options} />
        {third && <User id="c" url={ep.url} options={ep.options} />}
      </>
    );
    const { rerender } = render(users(false));
    await waitFor(() => expect([text('a'), text('b')]).toEqual(['open', 'open']));

    act(() => shared!.close());
    await waitFor(() => expect([text('a'), text('b')]).toEqual(['closed', 'closed']));

    rerender(users(true));
    await waitFor(() =>
      expect([text('a'), text('b'), text('c')]).toEqual(['open', 'open', 'open']),
    );
    expect(ep.created()).toBe(2);
    expect(ep.open()).toBe(1);
  });

  it('leaves a closed socket made with autoConnect: false for the app to connect', async () => {
    const ep = endpoint();
    const options = { ...ep.options, autoConnect: false };
    let shared: Socket | undefined;
    const { rerender } = render(
      <User id="a" url={ep.url} options={options} onSocket={(s) => (shared = s)} />,
    );
    await waitFor(() => expect(shared).toBeDefined());
    act(() => shared!.connect());
    await waitFor(() => expect(text('a')).toBe('open'));
    act(() => shared!.close());
    await waitFor(() => expect(text('a')).toBe('closed'));

    rerender(
      <>
        <User id="a" url={ep.url} options={options} />
        <User id="b" url={ep.url} options={options} />
      </>,
    );
    await settle();
    expect([text('a'), text('b')]).toEqual(['closed', 'closed']);
    expect(ep.created()).toBe(1);
  });
});
