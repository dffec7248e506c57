// The React adapter with `share` (DESIGN §11), unchanged: two sharing sockets stand for two tabs
// (one leader, one follower) over a fake LockManager and Node's BroadcastChannel;
// @lifeline/testing's fake server sees one connection for both.
import { Socket, type SocketOptions } from '@lifeline/core';
import { act, render, screen, waitFor } from '@testing-library/react';
import { useCallback, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeLocks, installLocks } from '../../core/test/share-locks';
import { useSocket, useSocketMessage } from '../src';
import { endpointsPerTest } from './endpoint';

type Chat = { chat: { text: string } };

const endpoint = endpointsPerTest();
const sockets: Socket[] = [];
let restore: () => void;

beforeEach(() => {
  restore = installLocks(new FakeLocks());
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.dispose();
  restore();
});

const text = (id: string) => screen.getByTestId(id).textContent;

/** Renders status, role and the chat texts received through `useSocketMessage`. */
function Tab({ id, socket }: { id: string; socket: Socket<Chat> }) {
  const { status } = useSocket(socket);
  const texts = useTexts(socket);
  return <p data-testid={id}>{`${status}|${socket.role}|${texts.join(',')}`}</p>;
}

function useTexts(socket: Socket<Chat>): string[] {
  const [texts, setTexts] = useState<string[]>([]);
  const add = useCallback((data: { text: string }) => setTexts((l) => [...l, data.text]), []);
  useSocketMessage(socket, 'chat', add);
  return texts;
}

describe('useSocket with share', () => {
  it('two sharing sockets: one leads, one follows, both open on one connection and receive', async () => {
    const ep = endpoint();
    const options: SocketOptions = { ...ep.options, share: true, heartbeat: false };
    const leader = new Socket<Chat>(ep.url, options);
    sockets.push(leader);
    render(<Tab id="a" socket={leader} />);
    await waitFor(() => expect(text('a')).toBe('open|leader|'));
    const follower = new Socket<Chat>(ep.url, options);
    sockets.push(follower);
    render(<Tab id="b" socket={follower} />);
    await waitFor(() => expect(text('b')).toBe('open|follower|'));
    expect(ep.open()).toBe(1);

    act(() => ep.broadcast('chat', { text: 'hi' }));
    await waitFor(() =>
      expect([text('a'), text('b')]).toEqual(['open|leader|hi', 'open|follower|hi']),
    );
    follower.sendJson('chat', { text: 'from b' });
    await waitFor(() =>
      expect(ep.connections[0]!.received.map((frame) => frame.raw)).toEqual([
        '{"type":"chat","data":{"text":"from b"}}',
      ]),
    );

    act(() => leader.dispose()); // the leader tab goes: the follower takes over
    await waitFor(() => expect(text('b')).toBe('open|leader|hi'));
    expect(ep.open()).toBe(1);
    expect(ep.connections).toHaveLength(2); // the new leader's own connection
  });
});
