import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, defineComponent, h, ref } from 'vue';
import { createLifeline, useLifeline } from '../src/plugin';
import { fakeServer, pipeCodec, stopServers } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  stopServers();
  vi.useRealTimers();
});

const StatusView = defineComponent({
  setup() {
    const { status } = useLifeline();
    return () => h('span', status.value);
  },
});

describe('createLifeline / useLifeline', () => {
  it('shares one socket between components and keeps it when one unmounts', async () => {
    const server = fakeServer();
    const lifeline = createLifeline({ url: 'ws://a.test/', WebSocket: server.WebSocket });
    const showFirst = ref(true);
    const Page = defineComponent({
      setup: () => () => [showFirst.value ? h(StatusView) : null, h(StatusView)],
    });
    const wrapper = mount(Page, { global: { plugins: [lifeline] } });
    await server.flush();
    expect(wrapper.text()).toBe('openopen');
    expect(server.connections).toHaveLength(1);

    showFirst.value = false;
    await server.flush();
    expect(wrapper.text()).toBe('open');
    expect(lifeline.getSocket().status).toBe('open');
    expect(server.connections).toHaveLength(1);
    wrapper.unmount();
  });

  it('disposes only when the last app that installed it unmounts', async () => {
    const server = fakeServer();
    const lifeline = createLifeline({ url: 'ws://a.test/', WebSocket: server.WebSocket });
    const one = mount(StatusView, { global: { plugins: [lifeline] } });
    const two = mount(StatusView, { global: { plugins: [lifeline] } });
    await server.flush();
    const socket = lifeline.getSocket();
    one.unmount();
    await server.flush();
    expect(socket.status).toBe('open');
    expect(two.text()).toBe('open');
    two.unmount();
    expect(socket.status).toBe('closed');
  });

  it('creates nothing until a component mounts, and disposes the socket on app.unmount()', async () => {
    const server = fakeServer();
    const lifeline = createLifeline({ url: 'ws://a.test/', WebSocket: server.WebSocket });
    const app = createApp(StatusView).use(lifeline);
    await server.flush();
    expect(server.attempts).toBe(0); // no socket even tried

    const root = document.createElement('div');
    app.mount(root);
    await server.flush();
    expect(root.textContent).toBe('open');
    const socket = lifeline.getSocket();

    app.unmount();
    await server.flush();
    expect(socket.status).toBe('closed');
    expect(server.open).toHaveLength(0);
    expect(server.last?.closeRecord?.by).toBe('client');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps replies and protocol frames out of `data`, read with the plugin’s codec', async () => {
    const server = fakeServer();
    // Frames are `type|data`, a reply `type|data|re`: only the plugin knows how to read them.
    const codec = pipeCodec;
    const lifeline = createLifeline({ url: 'ws://a.test/', WebSocket: server.WebSocket, codec });
    let view!: ReturnType<typeof useLifeline>;
    const wrapper = mount(
      defineComponent({
        setup() {
          view = useLifeline();
          return () => null;
        },
      }),
      { global: { plugins: [lifeline] } },
    );
    await server.flush();
    server.sendRaw('chat|hi');
    server.sendRaw('pong|');
    server.sendRaw('sum|3|r1');
    expect(view.data.value).toBe('chat|hi');
    expect(view.envelope.value).toEqual({ type: 'chat', data: 'hi' });
    wrapper.unmount();
  });

  it('throws an error naming the fix when the plugin is not installed', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() => mount(StatusView)).toThrow(/app\.use\(createLifeline/);
    warn.mockRestore();
  });
});
