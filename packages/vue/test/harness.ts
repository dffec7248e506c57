// Shared helpers for the Vue adapter's unit tests: @lifeline/testing's fake servers (no network,
// fake-timer safe), always stopped, and a way to mount a composable inside a real component.
import { createTestServer, type TestServer, type TestServerOptions } from '@lifeline/testing';
import { mount } from '@vue/test-utils';
import { vi } from 'vitest';
import { defineComponent, h } from 'vue';

const servers: TestServer[] = [];

/** A fake server; `stopServers()` stops every one made so far. */
export function fakeServer(options?: TestServerOptions): TestServer {
  const server = createTestServer(options);
  servers.push(server);
  return server;
}

export function stopServers(): void {
  for (const server of servers.splice(0)) server.stop();
}

/** The URLs of the connections `server` holds open, in connection order. */
export const openUrls = (server: TestServer): string[] =>
  server.open.map((connection) => connection.url);

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

/** Lets reconnect delays of up to 20 ms and Vue's scheduler run under fake timers. */
export const settle = () => vi.advanceTimersByTimeAsync(20);

/** A codec only these tests know: frames are `type|data`, a reply `type|data|re`. */
export const pipeCodec = {
  encode: (envelope: { type: string }) => envelope.type,
  decode: (raw: unknown) => {
    const [type, data, re] = String(raw).split('|');
    return type ? { type, data, ...(re ? { re } : {}) } : undefined;
  },
};
