import { LifelineError, Socket } from '@lifeline/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { computed, effectScope, nextTick, ref, shallowRef } from 'vue';
import {
  count,
  push,
  streamServer,
  subscribers,
  type TestServer,
} from '../../react/test/streamServer';
import { useSocket } from '../src/useSocket';
import { useSubscription } from '../src/useSubscription';
import { mountSetup, settle } from './harness';

type Streams = { [room: `room:${string}`]: { chat: { text: string } } };
type Typed = Socket<{}, {}, {}, Streams>;

const sockets: Socket[] = [];
const servers: TestServer[] = [];
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.dispose();
  for (const server of servers.splice(0)) server.stop();
  vi.useRealTimers();
});

function newServer(refuse: string[] = []): TestServer {
  const server = streamServer(refuse);
  servers.push(server);
  return server;
}

/** A socket on a fresh fake server, open once settled. */
function streamSocket(url: string, refuse: string[] = []) {
  const streams = newServer(refuse);
  const socket: Typed = new Socket<{}, {}, {}, Streams>(url, { WebSocket: streams.WebSocket });
  sockets.push(socket as Socket);
  return { socket, streams };
}

describe('useSubscription (Vue)', () => {
  it('goes live in a component, delivers the messages and moves the position', async () => {
    const streams = newServer();
    const lines: string[] = [];
    const { wrapper, result } = mountSetup(
      () => {
        const { socket } = useSocket<{}, {}, {}, Streams>('ws://v.test/', {
          WebSocket: streams.WebSocket,
        });
        return useSubscription(socket, 'room:1', (data) => lines.push(data.text));
      },
      ({ status, position }) => `${status.value}@${position.value?.seq}`,
    );
    expect(result.status.value).toBe('subscribing'); // mounted: the socket is connecting
    await settle();
    expect(wrapper.text()).toBe('live@0');
    streams.publish('room:1', 'chat', { text: 'a' });
    streams.publish('room:1', 'chat', { text: 'b' });
    await nextTick();
    expect(wrapper.text()).toBe('live@2');
    expect(lines).toEqual(['a', 'b']);
    expect(result.subscription.value?.stream).toBe('room:1');
    wrapper.unmount();
    await settle();
    expect(count(streams, 'subscribe')).toBe(1);
  });

  it('follows a stream getter: unsubscribes the old stream, subscribes the new', async () => {
    const { socket, streams } = streamSocket('ws://v.test/');
    const room = ref('1');
    const lines: string[] = [];
    const scope = effectScope();
    const { status } = scope.run(() =>
      useSubscription(
        socket,
        () => `room:${room.value}` as const,
        (data) => lines.push(data.text),
      ),
    )!;
    await settle();
    expect(status.value).toBe('live');
    room.value = '2';
    expect(status.value).toBe('subscribing'); // at once: the watcher flushes synchronously
    await settle();
    expect(status.value).toBe('live');
    expect(count(streams, 'unsubscribe', 'room:1')).toBe(1);
    expect(subscribers(streams, 'room:1')).toBe(0);
    expect(subscribers(streams, 'room:2')).toBe(1);
    streams.publish('room:1', 'chat', { text: 'old' });
    streams.publish('room:2', 'chat', { text: 'new' });
    expect(lines).toEqual(['new']);
    scope.stop();
  });

  it('follows a socket ref, and is idle while it or the stream is null', async () => {
    const first = streamSocket('ws://v1.test/');
    const second = streamSocket('ws://v2.test/');
    const source = shallowRef<Typed | null>(null);
    const stream = ref<`room:${string}` | null>('room:1');
    const scope = effectScope();
    const { status, position, subscription } = scope.run(() => useSubscription(source, stream))!;
    await settle();
    expect([status.value, position.value, subscription.value]).toEqual(['idle', undefined, null]);
    expect(first.streams.received).toEqual([]);

    source.value = first.socket;
    await settle();
    expect(status.value).toBe('live');
    source.value = second.socket;
    await settle();
    expect(status.value).toBe('live');
    expect(count(first.streams, 'unsubscribe', 'room:1')).toBe(1);
    expect(subscribers(second.streams, 'room:1')).toBe(1);

    stream.value = null;
    expect([status.value, subscription.value]).toEqual(['idle', null]);
    await settle();
    expect(count(second.streams, 'unsubscribe', 'room:1')).toBe(1);
    scope.stop();
  });

  it('unsubscribes when its scope ends and leaves no listener behind', async () => {
    const { socket, streams } = streamSocket('ws://v.test/');
    const before = socket.eventNames().map((name) => [name, socket.listenerCount(name)]);
    const handler = vi.fn();
    const scope = effectScope();
    const { subscription } = scope.run(() => useSubscription(socket, 'room:1', handler))!;
    await settle();
    const handle = subscription.value!;
    expect(handle.status).toBe('live');
    scope.stop();
    await settle();
    expect(count(streams, 'unsubscribe', 'room:1')).toBe(1);
    expect(handle.status).toBe('closed');
    expect(handle.eventNames()).toEqual([]);
    expect(socket.eventNames().map((name) => [name, socket.listenerCount(name)])).toEqual(before);
    streams.publish('room:1', 'chat', { text: 'late' });
    expect(handler).not.toHaveBeenCalled();
    expect(socket.status).toBe('open');
  });

  it('recomputes what reads the position on each message, and only then', async () => {
    const { socket, streams } = streamSocket('ws://v.test/');
    const scope = effectScope();
    let runs = 0;
    const seq = scope.run(() => {
      const { position } = useSubscription(socket, 'room:1');
      return computed(() => {
        runs++;
        return position.value?.seq;
      });
    })!;
    await settle();
    expect(seq.value).toBe('0');
    streams.publish('room:1', 'chat', { text: 'a' });
    expect(seq.value).toBe('1');
    push(streams, 'room:1', '1', 'chat', { text: 'a again' }); // a duplicate: position unchanged
    expect(seq.value).toBe('1');
    expect(runs).toBe(2);
    scope.stop();
  });

  it('reports a refusal to onError, with status closed', async () => {
    const { socket, streams } = streamSocket('ws://v.test/', ['room:no']);
    const socketErrors = vi.fn();
    socket.on('error', socketErrors);
    const errors: unknown[] = [];
    const scope = effectScope();
    const { status } = scope.run(() =>
      useSubscription(socket, 'room:no', undefined, { onError: (error) => errors.push(error) }),
    )!;
    await settle();
    expect(status.value).toBe('closed');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(LifelineError);
    expect(errors[0]).toMatchObject({ code: 'ERR_REMOTE', remote: { code: 'FORBIDDEN' } });
    expect(socketErrors).not.toHaveBeenCalled();
    expect(count(streams, 'subscribe')).toBe(1);
    scope.stop();
  });

  it('sends options.data with the subscribe', async () => {
    const { socket, streams } = streamSocket('ws://v.test/');
    const token = ref('t1');
    const scope = effectScope();
    scope.run(() =>
      useSubscription(socket, 'room:1', undefined, { data: () => ({ token: token.value }) }),
    );
    await settle();
    expect(streams.received[0]?.envelope).toMatchObject({
      type: 'subscribe',
      data: { data: { token: 't1' } },
    });
    scope.stop();
  });
});
