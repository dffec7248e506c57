// The Vue adapter with `share` (DESIGN §11), unchanged: two components' sockets sharing one name
// stand for two tabs (one leader, one follower) over a fake LockManager and Node's
// BroadcastChannel; @lifeline/testing's fake server sees one connection for both.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeLocks, installLocks } from '../../core/test/share-locks';
import { useSocket } from '../src/useSocket';
import { useSocketMessage } from '../src/useSocketMessage';
import { fakeServer, mountSetup, stopServers } from './harness';

const URL = 'ws://share.test/';
let restore: () => void;
let server: ReturnType<typeof fakeServer>;

beforeEach(() => {
  restore = installLocks(new FakeLocks());
  server = fakeServer();
});
afterEach(() => {
  stopServers();
  restore();
});

/** A component with its own sharing socket; renders status, role and the last chat text. */
function tab() {
  const texts: string[] = [];
  const mounted = mountSetup(
    () => {
      const result = useSocket<{ chat: { text: string } }>(URL, {
        WebSocket: server.WebSocket,
        share: true,
        heartbeat: false,
      });
      useSocketMessage(result.socket, 'chat', (data) => texts.push(data.text));
      return result;
    },
    (s) => `${s.status.value}|${s.socket.value?.role}`,
  );
  return { ...mounted, texts };
}

describe('useSocket with share', () => {
  it('two sharing sockets: one leads, one follows, both open on one connection and receive', async () => {
    const a = tab();
    await vi.waitFor(() => expect(a.wrapper.text()).toBe('open|leader'));
    const b = tab();
    await vi.waitFor(() => expect(b.wrapper.text()).toBe('open|follower'));
    expect(server.open).toHaveLength(1);

    server.send('chat', { text: 'hi' });
    await vi.waitFor(() => expect([a.texts, b.texts]).toEqual([['hi'], ['hi']]));

    b.result.sendJson('chat', { text: 'from b' });
    await vi.waitFor(() =>
      expect(server.received.map((frame) => frame.raw)).toEqual([
        '{"type":"chat","data":{"text":"from b"}}',
      ]),
    );

    a.wrapper.unmount(); // the leader's socket is disposed: the follower takes over
    await vi.waitFor(() => expect(b.wrapper.text()).toBe('open|leader'));
    await vi.waitFor(() => expect(server.open).toHaveLength(1));
    expect(server.connections).toHaveLength(2); // the new leader's own connection
    b.wrapper.unmount();
  });
});
