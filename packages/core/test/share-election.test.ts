// Leader election through real sessions: sockets of one name share a fake LockManager (Web
// Locks semantics) and Node's BroadcastChannel, as tabs share a browser's; a FakeWebSocket is
// the server. Also the share option and the tab message check.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Socket } from '../src';
import { shareName } from '../src/share/options';
import { isShareMessage } from '../src/share/protocol';
import { FakeLocks, installLocks } from './share-locks';
import { FakeWebSocket, FakeWS } from './support/fake-websocket';

let locks: FakeLocks;
let restore: () => void;
let sockets: Socket[];
let names = 0;
let name: string;

beforeEach(() => {
  FakeWebSocket.reset();
  locks = new FakeLocks();
  restore = installLocks(locks);
  sockets = [];
  name = `election-${++names}`;
});
afterEach(() => {
  for (const socket of sockets) socket.dispose();
  restore();
});

/** A socket sharing `name`, with its `role` events. */
function tab() {
  const socket = new Socket('ws://h/ws', { share: { name }, WebSocket: FakeWS });
  const roles: string[] = [];
  socket.on('role', (role) => roles.push(role));
  sockets.push(socket);
  return { socket, roles };
}

/** The private session of a socket (unit tests run the unmangled sources). */
const sessionOf = (socket: Socket) =>
  (socket as unknown as { _share: { _ignored: number } })._share;

describe('election', () => {
  it('the first socket leads, the next follows, and one connection serves both', async () => {
    const a = tab();
    await vi.waitFor(() => expect(a.socket.role).toBe('leader'));
    const b = tab();
    expect(b.socket.role).toBe('follower');
    await vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    FakeWebSocket.last.open();
    await vi.waitFor(() => expect([a.socket.status, b.socket.status]).toEqual(['open', 'open']));
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(a.roles).toEqual(['leader']);
    expect(b.roles).toEqual([]);
  });

  it('a follower request goes out once and its reply comes back to it only', async () => {
    const a = tab();
    await vi.waitFor(() => expect(a.socket.role).toBe('leader'));
    const b = tab();
    await vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    const ws = FakeWebSocket.last;
    ws.open();
    await vi.waitFor(() => expect(b.socket.status).toBe('open'));
    const seen: string[] = [];
    a.socket.on('message', () => seen.push('a'));
    b.socket.on('message', () => seen.push('b'));
    const reply = b.socket.request('sum', { a: 1, b: 2 });
    await vi.waitFor(() => expect(ws.sent).toHaveLength(1));
    const { id } = JSON.parse(ws.sent[0] as string);
    ws.receive(JSON.stringify({ type: 'sum', re: id, data: 3 }));
    await expect(reply).resolves.toBe(3);
    expect(seen).toEqual(['b']);
  });

  it('disposing the leader hands over: the follower leads through a new connection', async () => {
    const a = tab();
    await vi.waitFor(() => expect(a.socket.role).toBe('leader'));
    const b = tab();
    await vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    const first = FakeWebSocket.last;
    first.open();
    await vi.waitFor(() => expect(b.socket.status).toBe('open'));
    a.socket.dispose();
    await vi.waitFor(() => expect(b.socket.role).toBe('leader'));
    expect(b.roles).toEqual(['leader']);
    expect(first.closeCalls).toHaveLength(1);
    await vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2));
    FakeWebSocket.last.open();
    await vi.waitFor(() => expect(b.socket.status).toBe('open'));
  });

  it('ignores and counts tab messages that are malformed or of another version', async () => {
    const a = tab();
    await vi.waitFor(() => expect(a.socket.role).toBe('leader'));
    const b = tab();
    const intruder = new BroadcastChannel(`lifeline:${name}`);
    intruder.postMessage({ v: 2, k: 'b', n: Number.MAX_SAFE_INTEGER }); // a newer term, but v2
    intruder.postMessage('garbage');
    intruder.postMessage({ v: 1, k: 'x', n: Number.MAX_SAFE_INTEGER, to: 'all' });
    intruder.close();
    await vi.waitFor(() => expect(sessionOf(b.socket)._ignored).toBe(3));
    expect(sessionOf(a.socket)._ignored).toBe(3);
    expect([a.socket.role, b.socket.role]).toEqual(['leader', 'follower']);
  });

  it('dispose leaves the queue and lets go of the lock', async () => {
    const a = tab();
    const b = tab();
    await vi.waitFor(() => expect(a.socket.role).toBe('leader'));
    expect(locks.queue(`lifeline:${name}`)).toHaveLength(1); // b waits
    b.socket.dispose();
    expect(locks.queue(`lifeline:${name}`)).toHaveLength(0);
    a.socket.dispose();
    await vi.waitFor(() => expect(locks.held.size).toBe(0));
    expect(a.roles).toEqual(['leader', 'follower']);
    expect(locks.queue(`lifeline:${name}`)).toHaveLength(0);
  });
});

describe('tab locks (how a leader notices a crashed tab)', () => {
  const tabLocks = () =>
    [...locks.held.keys()].filter((n) => n.startsWith(`lifeline:${name}:tab:`));

  it('each socket holds a lock of its own while it takes part, and lets go on pagehide and dispose', async () => {
    const a = tab();
    const b = tab();
    await vi.waitFor(() => expect(tabLocks()).toHaveLength(2));
    dispatchEvent(new Event('pagehide')); // both sockets live in this one window
    await vi.waitFor(() => expect(tabLocks()).toHaveLength(0));
    dispatchEvent(new Event('pageshow'));
    await vi.waitFor(() => expect(tabLocks()).toHaveLength(2));
    b.socket.dispose();
    await vi.waitFor(() => expect(tabLocks()).toHaveLength(1));
    a.socket.dispose();
    await vi.waitFor(() => expect(tabLocks()).toHaveLength(0));
  });

  it('a tab whose lock vanishes (a crashed renderer) is forgotten: its stream is unsubscribed', async () => {
    const a = tab();
    await vi.waitFor(() => expect(a.socket.role).toBe('leader'));
    await vi.waitFor(() => expect(tabLocks()).toHaveLength(1));
    const [lockA] = tabLocks();
    const b = tab();
    await vi.waitFor(() => expect(tabLocks()).toHaveLength(2));
    const lockB = tabLocks().find((n) => n !== lockA)!;
    await vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    const ws = FakeWebSocket.last;
    ws.open();
    await vi.waitFor(() => expect(b.socket.status).toBe('open'));
    b.socket.subscribe('s', () => {});
    const sent = () => ws.sent.map((d) => JSON.parse(d as string));
    await vi.waitFor(() => expect(sent().map((e) => e.type)).toContain('subscribe'));
    // What a browser does when a renderer crashes: its locks go, and it says nothing.
    locks.held.delete(lockB!);
    await vi.waitFor(
      () =>
        expect(sent().filter((e) => e.type === 'unsubscribe')).toEqual([
          { type: 'unsubscribe', data: { stream: 's' } },
        ]),
      { timeout: 4000, interval: 50 },
    );
    expect(a.socket.role).toBe('leader');
    expect(ws.closeCalls).toEqual([]);
  });
});

describe('tab locks: tabs of an earlier build', () => {
  it('a transport named the old way (`0.<random>`, no tab lock) is never taken for dead', async () => {
    const a = tab();
    await vi.waitFor(() => expect(a.socket.role).toBe('leader'));
    await vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    const ws = FakeWebSocket.last;
    ws.open();
    await vi.waitFor(() => expect(a.socket.status).toBe('open'));
    const old = new BroadcastChannel(`lifeline:${name}`);
    const heard: Array<{ k: string; n: number; to?: string[] }> = [];
    old.onmessage = (event) => heard.push(event.data);
    try {
      old.postMessage({ v: 1, k: 'p' });
      await vi.waitFor(() => expect(heard.some((m) => m.k === 'b')).toBe(true));
      const n = heard.find((m) => m.k === 'b')!.n;
      old.postMessage({ v: 1, k: 'a', n, t: '0.old', u: 'ws://h/ws' });
      await vi.waitFor(() => expect(heard.some((m) => m.k === 'o')).toBe(true));
      const subscribe = { type: 'subscribe', id: 'old-1', data: { stream: 'legacy' } };
      old.postMessage({ v: 1, k: 'f', n, t: '0.old', d: JSON.stringify(subscribe) });
      const sent = () => ws.sent.map((d) => JSON.parse(d as string));
      await vi.waitFor(() => expect(sent()).toContainEqual(subscribe));
      await new Promise((resolve) => setTimeout(resolve, 3500)); // three sweeps
      expect(sent().filter((e) => e.type === 'unsubscribe')).toEqual([]);
    } finally {
      old.close();
    }
  });
});

describe('share option', () => {
  it('defaults the name to the URL and validates it', () => {
    expect(shareName('ws://h/ws', undefined)).toBeUndefined();
    expect(shareName('ws://h/ws', false)).toBeUndefined();
    expect(shareName('ws://h/ws', true)).toBe('ws://h/ws');
    expect(shareName(() => 'ws://h', { name: 'app' })).toBe('app');
    for (const bad of [1, 'x', null, { name: '' }, { name: 3 }])
      expect(() => shareName('ws://h/ws', bad)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
      );
    expect(() => shareName(() => 'ws://h', true)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });
});

describe('tab messages', () => {
  it('accepts this version only, with a term on everything but a probe', () => {
    expect(isShareMessage({ v: 1, k: 'b', n: 3 })).toBe(true);
    expect(isShareMessage({ v: 1, k: 'p' })).toBe(true);
    for (const bad of [
      null,
      'b',
      undefined,
      { v: 2, k: 'b', n: 3 },
      { v: 1, k: 'z', n: 3 },
      { v: 1, k: 'bo', n: 3 },
      { v: 1, k: ['b'], n: 3 },
      { v: 1, k: 'b' },
      { v: 1, k: 'b', n: '3' },
      { v: 1, k: 'm', n: 1, to: 'x' },
      { v: 1, k: 'f', n: 1, t: 5 },
    ])
      expect(isShareMessage(bad)).toBe(false);
  });
});
