import { Socket } from '@lifeline/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { messageStore, socketStore } from '../src';
import { listeners, mockServer, settle, stopServers, WebSocket } from './harness';

type In = { chat: { text: string }; typing: { user: string } };
const options = { WebSocket };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  stopServers();
  vi.useRealTimers();
});

const envelope = (type: string, data: unknown) => JSON.stringify({ type, data });

describe('messageStore', () => {
  it('holds the data of the last envelope of its type and ignores the others', async () => {
    const server = mockServer('ws://a.test/');
    const socket = new Socket<In>('ws://a.test/', options);
    const typing = messageStore(socket, 'typing');
    const seen: (In['typing'] | undefined)[] = [];
    const stop = typing.subscribe((value) => seen.push(value));
    await settle();
    const [client] = server.clients();
    client!.send(envelope('typing', { user: 'ana' }));
    client!.send(envelope('chat', { text: 'hi' }));
    client!.send(envelope('typing', { user: 'bo' }));
    expect(seen).toEqual([undefined, { user: 'ana' }, { user: 'bo' }]);
    stop();
    await settle();
    expect(listeners(socket)).toEqual({});
    socket.dispose();
  });

  it('holds a socket store while subscribed: its socket lives as long', async () => {
    const server = mockServer('ws://a.test/');
    const chat = socketStore<In>('ws://a.test/', options);
    const last = messageStore(chat, 'chat');
    const texts: (string | undefined)[] = [];
    const stop = last.subscribe((value) => texts.push(value?.text));
    expect(chat.socket).not.toBeNull();
    await settle();
    server.clients()[0]!.send(envelope('chat', { text: 'hi' }));
    expect(texts).toEqual([undefined, 'hi']);
    const socket = chat.socket!;
    stop();
    await settle();
    expect(chat.socket).toBeNull();
    expect(socket.status).toBe('closed');
    expect(server.clients()).toHaveLength(0);
    expect(listeners(socket)).toEqual({});
  });
});
