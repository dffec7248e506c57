// Shared helpers for the Vue adapter's unit tests: mock-socket servers that are always stopped,
// and a way to mount a composable inside a real component.
import { mount } from '@vue/test-utils';
import { WebSocket as MockWebSocket, Server } from 'mock-socket';
import { vi } from 'vitest';
import { defineComponent, h } from 'vue';

/** Pass as the `WebSocket` option so sockets talk to mock-socket servers. */
export const WebSocket = MockWebSocket as unknown as typeof globalThis.WebSocket;

const servers: Server[] = [];

/** A mock server on `url`; `stopServers()` stops every one made so far. */
export function mockServer(url: string): Server {
  const server = new Server(url);
  servers.push(server);
  return server;
}

export function stopServers(): void {
  for (const server of servers.splice(0)) server.stop();
}

/** Mounts a component whose setup runs `setup` and renders `render(result)` as text. */
export function mountSetup<T>(setup: () => T, render: (result: T) => string = () => '') {
  let result!: T;
  const wrapper = mount(
    defineComponent({
      setup() {
        result = setup();
        return () => h('p', render(result));
      },
    }),
  );
  return { wrapper, result };
}

/** Lets mock-socket's 4 ms delays and Vue's scheduler run under fake timers. */
export const settle = () => vi.advanceTimersByTimeAsync(20);

/** A codec only these tests know: frames are `type|data`, a reply `type|data|re`. */
export const pipeCodec = {
  encode: (envelope: { type: string }) => envelope.type,
  decode: (raw: unknown) => {
    const [type, data, re] = String(raw).split('|');
    return type ? { type, data, ...(re ? { re } : {}) } : undefined;
  },
};
