import { Socket } from '@lifeline/core';
import { createTestServer, type TestServer } from '@lifeline/testing';
import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSSRApp, defineComponent, effectScope, h, nextTick, shallowRef } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { useReconnectInfo, useSocket } from '../src';

const reconnect = { initialDelay: 1000, maxDelay: 1000, jitter: 'none' } as const;
const servers: TestServer[] = [];
const sockets: Socket[] = [];

function server(): TestServer {
  const made = createTestServer();
  servers.push(made);
  return made;
}
function socket(on: TestServer): Socket {
  const made = new Socket('ws://a.test/', { WebSocket: on.WebSocket, reconnect });
  sockets.push(made);
  return made;
}

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
    const ws = server();
    const target = socket(ws);
    const scope = effectScope();
    const info = scope.run(() => useReconnectInfo(target))!;
    await ws.flush();
    expect(target.status).toBe('open');
    expect(info.value).toBeNull();

    ws.drop();
    expect(info.value).toMatchObject({ attempt: 1, delay: 1000 });
    expect(info.value).toBe(target.retry);
    expect(info.value!.retryAt - performance.now()).toBe(1000); // the socket's monotonic clock

    await vi.advanceTimersByTimeAsync(1000);
    await ws.flush();
    expect(target.status).toBe('open');
    expect(info.value).toBeNull();
    scope.stop();
  });

  it('holds a wait already under way when called during it, and follows the next retry', async () => {
    const ws = server();
    const target = socket(ws);
    await ws.flush();
    ws.restart(5000); // closes with 1012 and stays down: every retry fails
    await vi.advanceTimersByTimeAsync(400);
    const scope = effectScope();
    const info = scope.run(() => useReconnectInfo(target))!;
    expect(info.value).toMatchObject({ attempt: 1, delay: 1000 });

    await vi.advanceTimersByTimeAsync(600);
    await ws.flush();
    expect(info.value).toMatchObject({ attempt: 2, delay: 1000 });
    scope.stop();
  });

  it('re-renders a component only when the info changes', async () => {
    const ws = server();
    const target = socket(ws);
    const attempts: number[] = [];
    const wrapper = mount(
      defineComponent({
        setup() {
          const info = useReconnectInfo(target);
          return () => {
            attempts.push(info.value?.attempt ?? 0);
            return h('p', String(info.value?.attempt ?? 0));
          };
        },
      }),
    );
    await ws.flush(); // connecting → open: nothing to show
    ws.drop();
    await nextTick();
    expect(wrapper.text()).toBe('1');
    await vi.advanceTimersByTimeAsync(1000);
    await ws.flush();
    await nextTick();
    expect(wrapper.text()).toBe('0');
    expect(attempts).toEqual([0, 1, 0]);
    wrapper.unmount();
    expect(target.listenerCount('reconnecting')).toBe(0);
    expect(target.listenerCount('status')).toBe(0);
  });

  it('follows a ref: useSocket().socket is null until mount, and the scope’s end removes the listeners', () => {
    const ws = server();
    const source = shallowRef<Socket | null>(null);
    const scope = effectScope();
    const info = scope.run(() => useReconnectInfo(source))!;
    expect(info.value).toBeNull();
    const target = socket(ws);
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
    const ws = server();
    const wrapper = mount(
      defineComponent({
        setup() {
          const { socket, status } = useSocket('ws://b.test/', {
            WebSocket: ws.WebSocket,
            reconnect,
          });
          const retry = useReconnectInfo(socket);
          return () =>
            h('p', `${status.value} ${retry.value?.attempt ?? 0} ${retry.value?.delay ?? '-'}`);
        },
      }),
    );
    await ws.flush();
    await nextTick();
    expect(wrapper.text()).toBe('open 0 -');
    ws.drop();
    await nextTick();
    expect(wrapper.text()).toBe('reconnecting 1 1000');
    wrapper.unmount();
    await ws.flush(); // useSocket disposes its socket as the component goes
  });

  it('is null during server rendering and listens to nothing', async () => {
    const ws = server();
    const target = socket(ws);
    await ws.flush();
    ws.drop(); // even mid-wait, the server render shows nothing
    const app = createSSRApp(
      defineComponent({
        setup() {
          const info = useReconnectInfo(target);
          return () => h('p', String(info.value?.attempt ?? 0));
        },
      }),
    );
    expect(await renderToString(app)).toBe('<p>0</p>');
    expect(target.listenerCount('reconnecting')).toBe(0);
  });
});
