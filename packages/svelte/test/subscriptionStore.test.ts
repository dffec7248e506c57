import { Socket } from '@lifeline/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type SubscriptionState, socketStore, subscriptionStore } from '../src';
import { fakeServer, listeners, stopServers, subscribers } from './harness';

type Streams = { [room: `room:${string}`]: { chat: { text: string }; joined: { user: string } } };
type Room = Streams[`room:${string}`];
const reconnect = { initialDelay: 10, maxDelay: 10 };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  stopServers();
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

describe('subscriptionStore', () => {
  it('subscribes for its first subscriber: idle → subscribing → live, with position and last', async () => {
    const server = fakeServer();
    const socket = new Socket<{}, {}, {}, Streams>('ws://a.test/', {
      WebSocket: server.WebSocket,
      reconnect,
    });
    const room = subscriptionStore(socket, 'room:42');
    expect(room.subscription).toBeNull();
    const seen: SubscriptionState<Room>[] = [];
    const stop = room.subscribe((value) => seen.push(value));
    expect(seen[0]).toEqual({ status: 'subscribing', position: undefined, last: undefined });
    await server.flush();
    expect(seen.at(-1)).toEqual({
      status: 'live',
      position: { epoch: 'e1', seq: '0' },
      last: undefined,
    });

    server.publish('room:42', 'chat', { text: 'hi' });
    const last = seen.at(-1)!;
    expect(last.position).toEqual({ epoch: 'e1', seq: '1' });
    expect(last.last).toMatchObject({ type: 'chat', seq: '1', data: { text: 'hi' } });
    if (last.last?.type === 'chat') expect(last.last.data.text).toBe('hi'); // narrowed by type
    stop();
    await server.flush();
    socket.dispose();
  });

  it('gives every message to the handler, in order, while the value shows the latest', async () => {
    const server = fakeServer();
    const socket = new Socket<{}, {}, {}, Streams>('ws://a.test/', {
      WebSocket: server.WebSocket,
      reconnect,
    });
    const lines: string[] = [];
    const room = subscriptionStore(socket, 'room:1', (data, message) => {
      if (message.type === 'chat') lines.push((data as { text: string }).text);
    });
    let latest: SubscriptionState<Room> | undefined;
    const stop = room.subscribe((value) => {
      latest = value;
    });
    await server.flush();
    for (const text of ['a', 'b', 'c']) server.publish('room:1', 'chat', { text });
    server.publish('room:1', 'joined', { user: 'ana' });
    expect(lines).toEqual(['a', 'b', 'c']);
    expect(latest?.last).toMatchObject({ type: 'joined', seq: '4' });
    stop();
    await server.flush();
    socket.dispose();
  });

  it('unsubscribes after the last subscriber leaves, leaving no listener behind', async () => {
    const server = fakeServer();
    const socket = new Socket<{}, {}, {}, Streams>('ws://a.test/', {
      WebSocket: server.WebSocket,
      reconnect,
    });
    await server.flush();
    const before = listeners(socket);
    const room = subscriptionStore(socket, 'room:42', () => {}, {
      onGap: () => {},
      onResync: () => {},
      onError: () => {},
    });
    const a = room.subscribe(() => {});
    const b = room.subscribe(() => {});
    await server.flush();
    const handle = room.subscription!;
    expect(subscribers(server, 'room:42')).toBe(1);
    a();
    await server.flush();
    expect(subscribers(server, 'room:42')).toBe(1);
    b();
    await server.flush();
    expect(subscribers(server, 'room:42')).toBe(0);
    expect(server.received.filter((f) => f.envelope?.type === 'unsubscribe')).toHaveLength(1);
    expect(handle.status).toBe('closed');
    expect(handle.eventNames()).toEqual([]);
    expect(room.subscription).toBeNull();
    expect(listeners(socket)).toEqual(before);
    socket.dispose();
  });

  it('holds a socket store, so reading only the subscription keeps the connection', async () => {
    const server = fakeServer();
    const chat = socketStore<{}, {}, {}, Streams>('ws://a.test/', {
      WebSocket: server.WebSocket,
      reconnect,
    });
    const room = subscriptionStore(chat, 'room:7');
    const statuses: string[] = [];
    const stop = room.subscribe((value) => statuses.push(value.status));
    await server.flush();
    expect(statuses).toEqual(['subscribing', 'live']);
    const socket = chat.socket!;
    stop();
    await server.flush();
    expect(chat.socket).toBeNull();
    expect(socket.status).toBe('closed');
    expect(server.open).toHaveLength(0);
  });

  it('resumes after a drop: subscribing again, then live, with nothing lost', async () => {
    const server = fakeServer();
    const socket = new Socket<{}, {}, {}, Streams>('ws://a.test/', {
      WebSocket: server.WebSocket,
      reconnect,
    });
    const texts: string[] = [];
    const room = subscriptionStore(socket, 'room:9', (data) => {
      texts.push((data as { text: string }).text);
    });
    const statuses: string[] = [];
    const stop = room.subscribe((value) => {
      if (statuses.at(-1) !== value.status) statuses.push(value.status); // messages notify too
    });
    await server.flush();
    server.publish('room:9', 'chat', { text: 'before' });
    server.drop();
    await vi.advanceTimersByTimeAsync(100);
    server.publish('room:9', 'chat', { text: 'after' });
    expect(statuses).toEqual(['subscribing', 'live', 'subscribing', 'live']);
    expect(texts).toEqual(['before', 'after']);
    stop();
    await server.flush();
    socket.dispose();
  });
});
