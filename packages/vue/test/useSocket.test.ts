import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { useSocket } from '../src/useSocket';
import { fakeServer, mountSetup, openUrls, pipeCodec, settle, stopServers } from './harness';

const reconnect = { initialDelay: 10, maxDelay: 10 };
/** A fake server and socket options that connect to it (any URL). */
function setup() {
  const server = fakeServer();
  return { server, options: { WebSocket: server.WebSocket, reconnect } };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  stopServers();
  vi.useRealTimers();
});

describe('useSocket in a component', () => {
  it('creates the socket on mount and renders each status change', async () => {
    const { server, options } = setup();
    const { wrapper, result } = mountSetup(
      () => useSocket('ws://a.test/', options),
      (s) => s.status.value,
    );
    expect(result.socket.value).not.toBeNull();
    expect(wrapper.text()).toBe('idle'); // the first render matches what the server rendered
    await nextTick();
    expect(wrapper.text()).toBe('connecting');
    await settle();
    expect(wrapper.text()).toBe('open');
    expect(openUrls(server)).toEqual(['ws://a.test/']);

    result.close();
    await settle();
    expect(wrapper.text()).toBe('closed');
    wrapper.unmount();
  });

  it('puts the raw data of the last message in `data` and the last envelope in `envelope`', async () => {
    const { server, options } = setup();
    const { wrapper, result } = mountSetup(() => useSocket('ws://a.test/', options));
    await settle();
    server.sendRaw('plain text');
    expect(result.data.value).toBe('plain text');
    expect(result.envelope.value).toBeUndefined();

    const frame = JSON.stringify({ type: 'chat', data: { text: 'hi' } });
    server.sendRaw(frame);
    expect(result.data.value).toBe(frame);
    expect(result.envelope.value).toMatchObject({ type: 'chat', data: { text: 'hi' } });
    wrapper.unmount();
  });

  it('keeps `data` and `envelope` on replies and protocol frames (pong, ping, subscribe…)', async () => {
    const { server, options } = setup();
    const { wrapper, result } = mountSetup(() => useSocket('ws://a.test/', options));
    await settle();
    const chat = JSON.stringify({ type: 'chat', data: { text: 'hi' } });
    server.sendRaw(chat);
    const shown = result.envelope.value;

    server.sendRaw('{"type":"pong"}');
    server.sendRaw('{"type":"ping"}');
    server.sendRaw('{"type":"subscribe","data":{"stream":"room"}}');
    server.sendRaw('{"type":"unsubscribe","data":{"stream":"room"}}');
    server.sendRaw('{"type":"chat","re":"no-such-request","data":{"text":"reply"}}');
    server.sendRaw('{"type":"chat","r\\u0065":"escaped-key","data":{"text":"reply"}}');
    expect(result.data.value).toBe(chat);
    expect(result.envelope.value).toBe(shown);

    // A chat message that merely mentions those words is the application's.
    const mention = JSON.stringify({ type: 'chat', data: { text: 'ping', re: 'pong' } });
    server.sendRaw(mention);
    expect(result.data.value).toBe(mention);
    wrapper.unmount();
  });

  it('reads replies and protocol frames through a custom codec too', async () => {
    const { server, options } = setup();
    const codec = pipeCodec; // frames are `type|data`, a reply `type|data|re`
    const { wrapper, result } = mountSetup(() => useSocket('ws://a.test/', { ...options, codec }));
    await settle();
    server.sendRaw('chat|hi');
    server.sendRaw('pong|');
    server.sendRaw('sum|3|r1');
    expect(result.data.value).toBe('chat|hi');
    expect(result.envelope.value).toEqual({ type: 'chat', data: 'hi' });
    wrapper.unmount();
  });

  it('forwards sendJson and send to the socket', async () => {
    const { server, options } = setup();
    const { wrapper, result } = mountSetup(() => useSocket('ws://a.test/', options));
    await settle();
    expect(result.send('raw')).toBe('sent');
    expect(result.sendJson('chat', { text: 'hi' })).toBe('sent');
    await server.flush(); // frames reach the server a microtask later
    expect(server.received.map((frame) => frame.raw)).toEqual([
      'raw',
      JSON.stringify({ type: 'chat', data: { text: 'hi' } }),
    ]);
    wrapper.unmount();
  });

  it('reconnects the same socket to the new URL when the URL ref changes', async () => {
    const { server, options } = setup();
    const url = ref('ws://a.test/');
    const { wrapper, result } = mountSetup(() => useSocket(url, options));
    await settle();
    const socket = result.socket.value;
    expect(openUrls(server)).toEqual(['ws://a.test/']);

    url.value = 'ws://b.test/';
    await settle();
    expect(result.socket.value).toBe(socket);
    expect(openUrls(server)).toEqual(['ws://b.test/']); // the a.test connection is gone
    expect(server.connections).toHaveLength(2);
    expect(result.status.value).toBe('open');
    wrapper.unmount();
  });

  it('calls an async URL getter once per attempt, and reconnects when a ref it read changes', async () => {
    const { server, options } = setup();
    const host = ref('a');
    const calls: string[] = [];
    const { wrapper, result } = mountSetup(() =>
      useSocket(async () => {
        const name = host.value; // read before the first await: tracked
        calls.push(name);
        await Promise.resolve(); // e.g. fetching a token
        return `ws://${name}.test/`;
      }, options),
    );
    await settle();
    expect(result.status.value).toBe('open');
    expect(calls).toEqual(['a']);

    server.drop();
    await settle();
    expect(result.status.value).toBe('open');
    expect(calls).toEqual(['a', 'a']);

    host.value = 'b';
    await settle();
    expect(calls).toEqual(['a', 'a', 'b']);
    expect(openUrls(server)).toEqual(['ws://b.test/']);
    wrapper.unmount();
  });

  it('reconnects once, to the final URL, when several refs it read change together', async () => {
    const { server, options } = setup();
    const host = ref('a');
    const path = ref('x');
    const calls: string[] = [];
    const { wrapper } = mountSetup(() =>
      useSocket(() => {
        calls.push(`${host.value}/${path.value}`);
        return `ws://${host.value}.test/${path.value}`;
      }, options),
    );
    await settle();
    host.value = 'b';
    path.value = 'y';
    await settle();
    expect(calls).toEqual(['a/x', 'b/y']);
    expect(server.connections.map((connection) => connection.url)).toEqual([
      'ws://a.test/x',
      'ws://b.test/y',
    ]);
    expect(openUrls(server)).toEqual(['ws://b.test/y']);
    wrapper.unmount();
  });

  it('leaves a closed socket closed on a URL change; open() then uses the new URL', async () => {
    const { server, options } = setup();
    const url = ref('ws://a.test/');
    const { wrapper, result } = mountSetup(() => useSocket(() => url.value, options));
    await settle();
    result.close();
    await settle();

    url.value = 'ws://b.test/';
    await settle();
    expect(result.status.value).toBe('closed');
    expect(server.attempts).toBe(1); // nothing tried b.test

    result.open();
    await settle();
    expect(result.status.value).toBe('open');
    expect(openUrls(server)).toEqual(['ws://b.test/']);
    wrapper.unmount();
  });

  it('disposes the socket on unmount, leaving no connection and no timer', async () => {
    const { server, options } = setup();
    const { wrapper, result } = mountSetup(() =>
      useSocket('ws://a.test/', { ...options, heartbeat: true }),
    );
    await settle();
    expect(server.open).toHaveLength(1);
    expect(vi.getTimerCount()).toBeGreaterThan(0); // the heartbeat is running

    wrapper.unmount();
    await settle();
    expect(server.open).toHaveLength(0);
    expect(server.last?.closeRecord?.by).toBe('client');
    expect(result.socket.value?.status).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses to send before mount with a clear ERR_NOT_OPEN', async () => {
    const { options } = setup();
    let early: unknown;
    let rejected: Promise<unknown> | undefined;
    const { wrapper } = mountSetup(() => {
      const result = useSocket('ws://a.test/', options);
      try {
        result.sendJson('hello', {});
      } catch (error) {
        early = error;
      }
      rejected = result.request('sum', { a: 1 });
      rejected.catch(() => {});
      return result;
    });
    expect(early).toMatchObject({ code: 'ERR_NOT_OPEN', message: expect.stringMatching(/mount/) });
    await expect(rejected).rejects.toMatchObject({ code: 'ERR_NOT_OPEN' });
    wrapper.unmount();
  });
});

describe('useSocket in an effect scope', () => {
  it('creates the socket at once and disposes it when the scope stops', async () => {
    const { server, options } = setup();
    const scope = effectScope();
    const result = scope.run(() => useSocket('ws://a.test/', options))!;
    expect(result.status.value).toBe('connecting');
    await settle();
    expect(result.status.value).toBe('open');
    expect(server.open).toHaveLength(1);

    scope.stop();
    await settle();
    expect(server.open).toHaveLength(0);
    expect(server.last?.closeRecord?.by).toBe('client');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps `idle` and opens nothing with autoConnect: false until open()', async () => {
    const { server, options } = setup();
    const scope = effectScope();
    const result = scope.run(() => useSocket('ws://a.test/', { ...options, autoConnect: false }))!;
    await settle();
    expect(result.status.value).toBe('idle');
    expect(server.attempts).toBe(0);
    result.open();
    await settle();
    expect(result.status.value).toBe('open');
    scope.stop();
  });
});
