// The Vue example of docs/guide/testing.md, tested as the guide shows it.
import type { SocketOptions } from '@lifeline/core';
import { createTestServer, type TestServer } from '@lifeline/testing';
import { useSocket, useSubscription } from '@lifeline/vue';
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { defineComponent, h, onMounted, ref } from 'vue';

// ── the component under test ──
type Req = { total: { data: { cart: string }; reply: number } };
type Streams = { [cart: `cart:${string}`]: { added: { item: string } } };

export const Cart = defineComponent({
  props: { id: { type: String, required: true }, options: Object as () => SocketOptions },
  setup(props) {
    const { socket, status, request } = useSocket<{}, {}, Req, Streams>(
      'wss://shop.example.com/ws',
      props.options,
    );
    const items = ref<string[]>([]);
    const total = ref<number>();
    const refresh = async () => (total.value = await request('total', { cart: props.id }));
    useSubscription(socket, `cart:${props.id}`, (data) => {
      items.value.push(data.item);
      void refresh();
    });
    onMounted(refresh); // the socket exists once the component is mounted
    return () =>
      h('div', [
        h('p', { class: 'status' }, status.value),
        h('p', { class: 'total' }, `total: ${total.value ?? '…'}`),
        h(
          'ul',
          items.value.map((item) => h('li', item)),
        ),
      ]);
  },
});

// ── the test ──
let server: TestServer<{}, {}, Req, Streams>;
beforeEach(() => {
  vi.useFakeTimers();
  server = createTestServer<{}, {}, Req, Streams>();
});
afterEach(() => {
  server.stop();
  vi.useRealTimers();
});

it('lists added items and asks the server for the new total each time', async () => {
  let total = 0;
  server.reply('total', ({ cart }) => (cart === 'c1' ? total : -1));
  const wrapper = mount(Cart, { props: { id: 'c1', options: { WebSocket: server.WebSocket } } });
  await server.flush();
  await flushPromises();
  expect(wrapper.find('.status').text()).toBe('open');
  expect(wrapper.find('.total').text()).toBe('total: 0');

  total = 12;
  server.publish('cart:c1', 'added', { item: 'tea' });
  await server.nextMessage('total'); // the component asked again
  await server.flush();
  await flushPromises();
  expect(wrapper.findAll('li').map((li) => li.text())).toEqual(['tea']);
  expect(wrapper.find('.total').text()).toBe('total: 12');

  wrapper.unmount(); // the socket is disposed with the component's scope
  await server.flush();
  expect(server.last?.closeRecord).toMatchObject({ code: 1000, by: 'client' });
});

it('shows the reconnecting status while the server restarts', async () => {
  server.reply('total', () => 0);
  const wrapper = mount(Cart, { props: { id: 'c1', options: { WebSocket: server.WebSocket } } });
  await server.flush();
  server.restart(5_000);
  await flushPromises();
  expect(wrapper.find('.status').text()).toBe('reconnecting');
  await vi.advanceTimersByTimeAsync(30_000);
  await server.flush();
  await flushPromises();
  expect(wrapper.find('.status').text()).toBe('open');
  wrapper.unmount();
});
