import { Socket } from '@lifeline/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, shallowRef } from 'vue';
import { useSocket } from '../src/useSocket';
import { useSocketMessage } from '../src/useSocketMessage';
import { fakeServer, mountSetup, stopServers } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  stopServers();
  vi.useRealTimers();
});

describe('useSocketMessage', () => {
  it('calls the handler for its type only, with data and envelope', async () => {
    const server = fakeServer();
    const handler = vi.fn();
    const { wrapper } = mountSetup(() => {
      const { socket } = useSocket('ws://a.test/', { WebSocket: server.WebSocket });
      useSocketMessage(socket, 'chat', handler);
    });
    await server.flush();
    server.send('other', 1);
    server.send('chat', { text: 'hi' });
    server.sendRaw('not json');
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler).toHaveBeenCalledWith({ text: 'hi' }, expect.objectContaining({ type: 'chat' }));
    wrapper.unmount();
    await server.flush();
  });

  it('unsubscribes when its scope ends while the socket lives on', async () => {
    const server = fakeServer();
    const socket = new Socket('ws://a.test/', { WebSocket: server.WebSocket });
    const handler = vi.fn();
    const scope = effectScope();
    scope.run(() => useSocketMessage(socket, '*', handler));
    await server.flush();
    server.send('chat', { text: 'one' });
    scope.stop();
    server.send('chat', { text: 'two' });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(socket.status).toBe('open');
    socket.dispose();
  });

  it('follows a socket ref: subscribes when it is set, moves when it changes', async () => {
    const server = fakeServer();
    const source = shallowRef<Socket | null>(null);
    const handler = vi.fn();
    const scope = effectScope();
    scope.run(() => useSocketMessage(source, 'chat', handler));
    const first = new Socket('ws://a.test/', { WebSocket: server.WebSocket });
    source.value = first;
    await server.flush();
    expect(server.send('chat', { text: 'to first' })).toBe(1);
    expect(handler).toHaveBeenCalledTimes(1);

    const second = new Socket('ws://a.test/', { WebSocket: server.WebSocket });
    source.value = second;
    await server.flush();
    expect(server.send('chat', { text: 'to both' })).toBe(2);
    expect(handler).toHaveBeenCalledTimes(2); // only the second socket's subscription is live
    scope.stop();
    first.dispose();
    second.dispose();
  });
});
