import { Socket } from '@lifeline/core';
import { mount } from '@vue/test-utils';
import { WebSocket as MockWebSocket, Server } from 'mock-socket';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSSRApp, defineComponent, effectScope, h, nextTick, shallowRef } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { NOT_RECONNECTING, useReconnectInfo, useSocket } from '../src';

const WebSocket = MockWebSocket as unknown as typeof globalThis.WebSocket;
const reconnect = { initialDelay: 1000, maxDelay: 1000, jitter: 'none' } as const;
const servers: Server[] = [];
const sockets: Socket[] = [];

function server(url: string): Server {
  const made = new Server(url);
  servers.push(made);
  return made;
}
function socket(url: string): Socket {
  const made = new Socket(url, { WebSocket, reconnect });
  sockets.push(made);
  return made;
}
const drop = (from: Server) =>
  from.clients()[0]!.close({ code: 1006, reason: 'drop', wasClean: false });
const settle = () => vi.advanceTimersByTimeAsync(20);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  for (const made of sockets.splice(0)) made.dispose();
  for (const made of servers.splice(0)) made.stop();
  vi.useRealTimers();
});

describe('useReconnectInfo', () => {
  it('holds the attempt, delay and retry time while reconnecting, and clears them on open', async () => {
    const ws = server('ws://a.test/');
    const target = socket('ws://a.test/');
    const scope = effectScope();
    const info = scope.run(() => useReconnectInfo(target))!;
    await settle();
    expect(info.value).toBe(NOT_RECONNECTING);

    drop(ws);
    await vi.advanceTimersByTimeAsync(5);
    const droppedAt = Date.now(); // fake timers fake Date too
    expect(info.value).toMatchObject({ attempt: 1, delay: 1000 });
    expect(info.value.retryAt! - droppedAt).toBeGreaterThan(990);
    expect(info.value.retryAt! - droppedAt).toBeLessThanOrEqual(1000);

    await vi.advanceTimersByTimeAsync(1100);
    expect(target.status).toBe('open');
    expect(info.value).toBe(NOT_RECONNECTING);
    scope.stop();
  });

  it('re-renders a component only when the info changes', async () => {
    const ws = server('ws://a.test/');
    const target = socket('ws://a.test/');
    const attempts: number[] = [];
    const wrapper = mount(
      defineComponent({
        setup() {
          const info = useReconnectInfo(target);
          return () => {
            attempts.push(info.value.attempt);
            return h('p', String(info.value.attempt));
          };
        },
      }),
    );
    await settle(); // connecting → open: nothing to show
    drop(ws);
    await vi.advanceTimersByTimeAsync(5);
    await nextTick();
    expect(wrapper.text()).toBe('1');
    await vi.advanceTimersByTimeAsync(1100);
    await nextTick();
    expect(wrapper.text()).toBe('0');
    expect(attempts).toEqual([0, 1, 0]);
    wrapper.unmount();
    expect(target.listenerCount('reconnecting')).toBe(0);
    expect(target.listenerCount('status')).toBe(0);
  });

  it('follows a ref: useSocket().socket is null until mount, and the scope’s end removes the listeners', async () => {
    server('ws://a.test/');
    const source = shallowRef<Socket | null>(null);
    const scope = effectScope();
    const info = scope.run(() => useReconnectInfo(source))!;
    expect(info.value).toBe(NOT_RECONNECTING);
    const target = socket('ws://a.test/');
    source.value = target;
    expect(target.listenerCount('reconnecting')).toBe(1);
    source.value = null;
    expect(target.listenerCount('reconnecting')).toBe(0);
    source.value = target;
    scope.stop();
    expect(target.listenerCount('reconnecting')).toBe(0);
    expect(target.listenerCount('status')).toBe(0);
  });

  it('works with useSocket inside a component', async () => {
    const ws = server('ws://b.test/');
    const wrapper = mount(
      defineComponent({
        setup() {
          const { socket, status } = useSocket('ws://b.test/', { WebSocket, reconnect });
          const retry = useReconnectInfo(socket);
          return () => h('p', `${status.value} ${retry.value.attempt} ${retry.value.delay ?? '-'}`);
        },
      }),
    );
    await settle();
    await nextTick();
    expect(wrapper.text()).toBe('open 0 -');
    drop(ws);
    await vi.advanceTimersByTimeAsync(5);
    await nextTick();
    expect(wrapper.text()).toBe('reconnecting 1 1000');
    wrapper.unmount();
  });

  it('is NOT_RECONNECTING during server rendering and listens to nothing', async () => {
    const target = new Socket('ws://c.test/', { WebSocket, autoConnect: false });
    sockets.push(target);
    const app = createSSRApp(
      defineComponent({
        setup() {
          const info = useReconnectInfo(target);
          return () => h('p', String(info.value.attempt));
        },
      }),
    );
    expect(await renderToString(app)).toBe('<p>0</p>');
    expect(target.listenerCount('reconnecting')).toBe(0);
  });
});
