import { Socket, type SocketOptions, type Status } from '@lifeline/core';
import { act, render, screen, waitFor } from '@testing-library/react';
import { StrictMode, useEffect } from 'react';
import { describe, expect, it } from 'vitest';
import { type UseSocketResult, useSocket } from '../src';
import { sharedSocketCount } from '../src/registry';
import { type Endpoint, endpointsPerTest } from './endpoint';

type Chat = { chat: { text: string } };

const endpoint = endpointsPerTest();

/** Lets the registry's deferred release run inside act(). */
const settle = () => act(async () => {});
const text = (id = 's') => screen.getByTestId(id).textContent;

interface UserProps {
  url: string | null;
  options?: SocketOptions;
  id?: string;
  onRender?: (result: UseSocketResult<Socket<Chat>>) => void;
}

/** Shows status and last chat text; reports every render's result to `onRender`. */
function User({ url, options, id = 's', onRender }: UserProps) {
  const result = useSocket<Chat>(url, options);
  onRender?.(result);
  return (
    <p data-testid={id}>
      {result.status}
      {result.lastMessage ? `:${result.lastMessage.data?.text}` : ''}
    </p>
  );
}

function Pair({ ep, second }: { ep: Endpoint; second: boolean }) {
  return (
    <>
      {/* A fresh but equal options object on every render must not make a second socket. */}
      <User id="a" url={ep.url} options={{ ...ep.options, heartbeat: false }} />
      {second && <User id="b" url={ep.url} options={{ heartbeat: false, ...ep.options }} />}
    </>
  );
}

/** Calls sendJson from an effect that runs before its parent's useSocket effect. */
function EarlySender({ url, options, onError }: UserProps & { onError(e: unknown): void }) {
  const { sendJson } = useSocket<Record<string, unknown>, Chat>(url, options);
  useEffect(() => {
    try {
      sendJson('chat', { text: 'too early' });
    } catch (error) {
      onError(error);
    }
  }, [sendJson, onError]);
  return null;
}

function GivenSocket({ socket }: { socket: Socket }) {
  return <p data-testid="s">{useSocket(socket).status}</p>;
}

describe('useSocket(url)', () => {
  it('re-renders on every status change: idle, connecting, open, reconnecting', async () => {
    const ep = endpoint();
    const seen: Status[] = [];
    const options = { ...ep.options, reconnect: { initialDelay: 10_000 } };
    render(<User url={ep.url} options={options} onRender={(r) => seen.push(r.status)} />);
    await waitFor(() => expect(text()).toBe('open'));
    act(() => ep.connections[0]!.drop());
    await waitFor(() => expect(text()).toBe('reconnecting'));
    expect(seen[0]).toBe('idle');
    expect([...new Set(seen)]).toEqual(['idle', 'connecting', 'open', 'reconnecting']);
  });

  it('shares one socket between components with equal URL and options', async () => {
    const ep = endpoint();
    const { rerender } = render(<Pair ep={ep} second />);
    await waitFor(() => expect(text('b')).toBe('open'));
    expect(ep.created()).toBe(1);
    expect(ep.connections).toHaveLength(1);

    rerender(<Pair ep={ep} second={false} />);
    await settle();
    expect(text('a')).toBe('open');
    expect(ep.open()).toBe(1);
  });

  it('disposes the shared socket when the last user unmounts', async () => {
    const ep = endpoint();
    let socket: Socket | null = null;
    const { unmount } = render(
      <User url={ep.url} options={ep.options} onRender={(r) => (socket ??= r.socket)} />,
    );
    await waitFor(() => expect(text()).toBe('open'));
    const before = sharedSocketCount();
    unmount();
    await settle();
    expect(socket!.status).toBe('closed');
    expect(sharedSocketCount()).toBe(before - 1);
    await waitFor(() => expect(ep.open()).toBe(0));
  });

  it('opens exactly one connection under StrictMode and keeps it open', async () => {
    const ep = endpoint();
    render(
      <StrictMode>
        <User url={ep.url} options={ep.options} />
      </StrictMode>,
    );
    await waitFor(() => expect(text()).toBe('open'));
    await settle();
    expect(ep.created()).toBe(1);
    expect(ep.connections).toHaveLength(1);
    expect(text()).toBe('open');
  });

  it('swaps to a new socket when the URL changes and disposes the old one', async () => {
    const first = endpoint();
    const second = endpoint();
    const { rerender } = render(<User url={first.url} options={first.options} />);
    await waitFor(() => expect(text()).toBe('open'));
    rerender(<User url={second.url} options={second.options} />);
    await waitFor(() => expect(second.connections).toHaveLength(1));
    await waitFor(() => expect(text()).toBe('open'));
    await waitFor(() => expect(first.open()).toBe(0));
  });

  it('shows the last envelope received and keeps send functions stable', async () => {
    const ep = endpoint();
    const sendJsons = new Set<unknown>();
    render(<User url={ep.url} options={ep.options} onRender={(r) => sendJsons.add(r.sendJson)} />);
    await waitFor(() => expect(text()).toBe('open'));
    act(() => ep.broadcast('chat', { text: 'hello' }));
    await waitFor(() => expect(text()).toBe('open:hello'));
    expect(sendJsons.size).toBe(1);
  });

  it('leaves lastMessage alone on replies and protocol frames (pong, ping, subscribe…)', async () => {
    const ep = endpoint();
    let result: UseSocketResult<Socket<Chat>> | undefined;
    render(<User url={ep.url} options={ep.options} onRender={(r) => (result = r)} />);
    await waitFor(() => expect(text()).toBe('open'));
    act(() => ep.broadcast('chat', { text: 'hello' }));
    await waitFor(() => expect(text()).toBe('open:hello'));
    const shown = result!.lastMessage;

    act(() => {
      ep.broadcast('pong', undefined);
      ep.broadcast('ping', undefined);
      ep.broadcast('subscribe', { stream: 'room' });
      ep.broadcast('unsubscribe', { stream: 'room' });
      ep.server.sendRaw(
        JSON.stringify({ type: 'chat', re: 'no-such-request', data: { text: 'reply' } }),
      );
    });
    await settle();
    expect(text()).toBe('open:hello');
    expect(result!.lastMessage).toBe(shown);
  });

  it('sends through the shared socket once it is open', async () => {
    const ep = endpoint();
    let result: UseSocketResult<Socket<Chat>> | undefined;
    render(<User url={ep.url} options={ep.options} onRender={(r) => (result = r)} />);
    await waitFor(() => expect(text()).toBe('open'));
    expect(result!.send('raw')).toBe('sent');
    expect(result!.sendJson('chat', { text: 'hi' })).toBe('sent');
    await waitFor(() =>
      expect(ep.server.received.map((frame) => frame.raw)).toEqual([
        'raw',
        '{"type":"chat","data":{"text":"hi"}}',
      ]),
    );
  });

  it('throws ERR_NOT_OPEN from send before the socket exists', () => {
    const ep = endpoint();
    let error: unknown;
    render(<EarlySender url={ep.url} options={ep.options} onError={(e) => (error = e)} />);
    expect(error).toMatchObject({ code: 'ERR_NOT_OPEN' });
  });

  it('passes autoConnect: false through and leaves the socket idle', async () => {
    const ep = endpoint();
    let socket: Socket | null = null;
    const options = { ...ep.options, autoConnect: false };
    render(<User url={ep.url} options={options} onRender={(r) => (socket = r.socket)} />);
    await waitFor(() => expect(socket).not.toBeNull());
    expect(text()).toBe('idle');
    act(() => socket!.connect());
    await waitFor(() => expect(text()).toBe('open'));
    expect(ep.connections).toHaveLength(1);
  });

  it('has no socket and reports idle for a null URL', () => {
    let result: UseSocketResult<Socket<Chat>> | undefined;
    render(<User url={null} onRender={(r) => (result = r)} />);
    expect(result?.socket).toBeNull();
    expect(result?.status).toBe('idle');
  });
});

describe('useSocket(socket)', () => {
  it('follows a socket it was given and never disposes it', async () => {
    const ep = endpoint();
    const socket = new Socket(ep.url, ep.options);
    const { unmount } = render(<GivenSocket socket={socket} />);
    expect(text()).toBe('connecting');
    await waitFor(() => expect(text()).toBe('open'));
    unmount();
    await settle();
    expect(socket.status).toBe('open');
    socket.dispose();
  });
});
