import { Socket } from '@lifeline/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, shallowRef } from 'vue';
import { useSocket } from '../src/useSocket';
import { useSocketMessage } from '../src/useSocketMessage';
import { mockServer, mountSetup, settle, stopServers, WebSocket } from './harness';

const chat = (text: string) => JSON.stringify({ type: 'chat', data: { text } });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  stopServers();
  vi.useRealTimers();
});

describe('useSocketMessage', () => {
  it('calls the handler for its type only, with data and envelope', async () => {
    const server = mockServer('ws://a.test/');
    const handler = vi.fn();
    const { wrapper } = mountSetup(() => {
      const { socket } = useSocket('ws://a.test/', { WebSocket });
      useSocketMessage(socket, 'chat', handler);
    });
    await settle();
    const [client] = server.clients();
    client!.send(JSON.stringify({ type: 'other', data: 1 }));
    client!.send(chat('hi'));
    client!.send('not json');
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler).toHaveBeenCalledWith({ text: 'hi' }, expect.objectContaining({ type: 'chat' }));
    wrapper.unmount();
  });

  it('unsubscribes when its scope ends while the socket lives on', async () => {
    const server = mockServer('ws://a.test/');
    const socket = new Socket('ws://a.test/', { WebSocket });
    const handler = vi.fn();
    const scope = effectScope();
    scope.run(() => useSocketMessage(socket, '*', handler));
    await settle();
    const [client] = server.clients();
    client!.send(chat('one'));
    scope.stop();
    client!.send(chat('two'));
    expect(handler).toHaveBeenCalledTimes(1);
    expect(socket.status).toBe('open');
    socket.dispose();
  });

  it('follows a socket ref: subscribes when it is set, moves when it changes', async () => {
    const server = mockServer('ws://a.test/');
    const source = shallowRef<Socket | null>(null);
    const handler = vi.fn();
    const scope = effectScope();
    scope.run(() => useSocketMessage(source, 'chat', handler));
    const first = new Socket('ws://a.test/', { WebSocket });
    source.value = first;
    await settle();
    server.clients()[0]!.send(chat('to first'));
    expect(handler).toHaveBeenCalledTimes(1);

    const second = new Socket('ws://a.test/', { WebSocket });
    source.value = second;
    await settle();
    server.emit('message', chat('to both'));
    expect(handler).toHaveBeenCalledTimes(2); // only the second socket's subscription is live
    scope.stop();
    first.dispose();
    second.dispose();
  });
});
