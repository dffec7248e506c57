import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, defineComponent, h, ref } from 'vue';
import { createLifeline, useLifeline } from '../src/plugin';
import { mockServer, pipeCodec, settle, stopServers, WebSocket } from './harness';

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
    const server = mockServer('ws://a.test/');
    const lifeline = createLifeline({ url: 'ws://a.test/', WebSocket });
    const showFirst = ref(true);
    const Page = defineComponent({
      setup: () => () => [showFirst.value ? h(StatusView) : null, h(StatusView)],
    });
    const wrapper = mount(Page, { global: { plugins: [lifeline] } });
    await settle();
    expect(wrapper.text()).toBe('openopen');
    expect(server.clients()).toHaveLength(1);

    showFirst.value = false;
    await settle();
    expect(wrapper.text()).toBe('open');
    expect(lifeline.getSocket().status).toBe('open');
    expect(server.clients()).toHaveLength(1);
    wrapper.unmount();
  });

  it('disposes only when the last app that installed it unmounts', async () => {
    mockServer('ws://a.test/');
    const lifeline = createLifeline({ url: 'ws://a.test/', WebSocket });
    const one = mount(StatusView, { global: { plugins: [lifeline] } });
    const two = mount(StatusView, { global: { plugins: [lifeline] } });
    await settle();
    const socket = lifeline.getSocket();
    one.unmount();
    await settle();
    expect(socket.status).toBe('open');
    expect(two.text()).toBe('open');
    two.unmount();
    expect(socket.status).toBe('closed');
  });

  it('creates nothing until a component mounts, and disposes the socket on app.unmount()', async () => {
    const server = mockServer('ws://a.test/');
    const lifeline = createLifeline({ url: 'ws://a.test/', WebSocket });
    const app = createApp(StatusView).use(lifeline);
    await settle();
    expect(server.clients()).toHaveLength(0);

    const root = document.createElement('div');
    app.mount(root);
    await settle();
    expect(root.textContent).toBe('open');
    const socket = lifeline.getSocket();

    app.unmount();
    await settle();
    expect(socket.status).toBe('closed');
    expect(server.clients()).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps replies and protocol frames out of `data`, read with the plugin’s codec', async () => {
    const server = mockServer('ws://a.test/');
    // Frames are `type|data`, a reply `type|data|re`: only the plugin knows how to read them.
    const codec = pipeCodec;
    const lifeline = createLifeline({ url: 'ws://a.test/', WebSocket, codec });
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
    await settle();
    const [client] = server.clients();
    client!.send('chat|hi');
    client!.send('pong|');
    client!.send('sum|3|r1');
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
