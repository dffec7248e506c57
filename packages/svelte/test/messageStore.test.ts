import { Socket } from '@lifeline/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { messageStore, socketStore } from '../src';
import { fakeServer, listeners, stopServers } from './harness';

type In = { chat: { text: string }; typing: { user: string } };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  stopServers();
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

describe('messageStore', () => {
  it('holds the data of the last envelope of its type and ignores the others', async () => {
    const server = fakeServer();
    const socket = new Socket<In>('ws://a.test/', { WebSocket: server.WebSocket });
    const typing = messageStore(socket, 'typing');
    const seen: (In['typing'] | undefined)[] = [];
    const stop = typing.subscribe((value) => seen.push(value));
    await server.flush();
    server.send('typing', { user: 'ana' });
    server.send('chat', { text: 'hi' });
    server.send('typing', { user: 'bo' });
    expect(seen).toEqual([undefined, { user: 'ana' }, { user: 'bo' }]);
    stop();
    await server.flush();
    expect(listeners(socket)).toEqual({});
    socket.dispose();
  });

  it('holds a socket store while subscribed: its socket lives as long', async () => {
    const server = fakeServer();
    const chat = socketStore<In>('ws://a.test/', { WebSocket: server.WebSocket });
    const last = messageStore(chat, 'chat');
    const texts: (string | undefined)[] = [];
    const stop = last.subscribe((value) => texts.push(value?.text));
    expect(chat.socket).not.toBeNull();
    await server.flush();
    server.send('chat', { text: 'hi' });
    expect(texts).toEqual([undefined, 'hi']);
    const socket = chat.socket!;
    stop();
    await server.flush();
    expect(chat.socket).toBeNull();
    expect(socket.status).toBe('closed');
    expect(server.open).toHaveLength(0);
    expect(server.last?.closeRecord?.by).toBe('client');
    expect(listeners(socket)).toEqual({});
  });
});
