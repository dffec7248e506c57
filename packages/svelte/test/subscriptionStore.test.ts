import { Socket } from '@lifeline/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type SubscriptionState, socketStore, subscriptionStore } from '../src';
import { listeners, settle, stopServers, streamServer, WebSocket } from './harness';

type Streams = { [room: `room:${string}`]: { chat: { text: string }; joined: { user: string } } };
type Room = Streams[`room:${string}`];
const options = { WebSocket, reconnect: { initialDelay: 10, maxDelay: 10 } };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  stopServers();
  vi.useRealTimers();
});

describe('subscriptionStore', () => {
  it('subscribes for its first subscriber: idle → subscribing → live, with position and last', async () => {
    const streams = streamServer('ws://a.test/');
    const socket = new Socket<{}, {}, {}, Streams>('ws://a.test/', options);
    const room = subscriptionStore(socket, 'room:42');
    expect(room.subscription).toBeNull();
    const seen: SubscriptionState<Room>[] = [];
    const stop = room.subscribe((value) => seen.push(value));
    expect(seen[0]).toEqual({ status: 'subscribing', position: undefined, last: undefined });
    await settle();
    expect(seen.at(-1)).toEqual({
      status: 'live',
      position: { epoch: 'e1', seq: '0' },
      last: undefined,
    });

    streams.publish('room:42', 'chat', { text: 'hi' });
    const last = seen.at(-1)!;
    expect(last.position).toEqual({ epoch: 'e1', seq: '1' });
    expect(last.last).toMatchObject({ type: 'chat', seq: '1', data: { text: 'hi' } });
    if (last.last?.type === 'chat') expect(last.last.data.text).toBe('hi'); // narrowed by type
    stop();
    await settle();
    socket.dispose();
  });

  it('gives every message to the handler, in order, while the value shows the latest', async () => {
    const streams = streamServer('ws://a.test/');
    const socket = new Socket<{}, {}, {}, Streams>('ws://a.test/', options);
    const lines: string[] = [];
    const room = subscriptionStore(socket, 'room:1', (data, message) => {
      if (message.type === 'chat') lines.push((data as { text: string }).text);
    });
    let latest: SubscriptionState<Room> | undefined;
    const stop = room.subscribe((value) => {
      latest = value;
    });
    await settle();
    for (const text of ['a', 'b', 'c']) streams.publish('room:1', 'chat', { text });
    streams.publish('room:1', 'joined', { user: 'ana' });
    expect(lines).toEqual(['a', 'b', 'c']);
    expect(latest?.last).toMatchObject({ type: 'joined', seq: '4' });
    stop();
    await settle();
    socket.dispose();
  });

  it('unsubscribes after the last subscriber leaves, leaving no listener behind', async () => {
    const streams = streamServer('ws://a.test/');
    const socket = new Socket<{}, {}, {}, Streams>('ws://a.test/', options);
    await settle();
    const before = listeners(socket);
    const room = subscriptionStore(socket, 'room:42', () => {}, {
      onGap: () => {},
      onResync: () => {},
      onError: () => {},
    });
    const a = room.subscribe(() => {});
    const b = room.subscribe(() => {});
    await settle();
    const handle = room.subscription!;
    expect(streams.subscribers('room:42')).toBe(1);
    a();
    await settle();
    expect(streams.subscribers('room:42')).toBe(1);
    b();
    await settle();
    expect(streams.subscribers('room:42')).toBe(0);
    expect(streams.frames.filter((f) => f.type === 'unsubscribe')).toHaveLength(1);
    expect(handle.status).toBe('closed');
    expect(handle.eventNames()).toEqual([]);
    expect(room.subscription).toBeNull();
    expect(listeners(socket)).toEqual(before);
    socket.dispose();
  });

  it('holds a socket store, so reading only the subscription keeps the connection', async () => {
    const streams = streamServer('ws://a.test/');
    const chat = socketStore<{}, {}, {}, Streams>('ws://a.test/', options);
    const room = subscriptionStore(chat, 'room:7');
    const statuses: string[] = [];
    const stop = room.subscribe((value) => statuses.push(value.status));
    await settle();
    expect(statuses).toEqual(['subscribing', 'live']);
    const socket = chat.socket!;
    stop();
    await settle();
    expect(chat.socket).toBeNull();
    expect(socket.status).toBe('closed');
    expect(streams.server.clients()).toHaveLength(0);
  });

  it('resumes after a drop: subscribing again, then live, with nothing lost', async () => {
    const streams = streamServer('ws://a.test/');
    const socket = new Socket<{}, {}, {}, Streams>('ws://a.test/', options);
    const texts: string[] = [];
    const room = subscriptionStore(socket, 'room:9', (data) => {
      texts.push((data as { text: string }).text);
    });
    const statuses: string[] = [];
    const stop = room.subscribe((value) => {
      if (statuses.at(-1) !== value.status) statuses.push(value.status); // messages notify too
    });
    await settle();
    streams.publish('room:9', 'chat', { text: 'before' });
    streams.server.clients()[0]!.close({ code: 1006, reason: 'drop', wasClean: false });
    await vi.advanceTimersByTimeAsync(100);
    streams.publish('room:9', 'chat', { text: 'after' });
    expect(statuses).toEqual(['subscribing', 'live', 'subscribing', 'live']);
    expect(texts).toEqual(['before', 'after']);
    stop();
    await settle();
    socket.dispose();
  });
});
