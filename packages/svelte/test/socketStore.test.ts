// socketStore over @lifeline/testing's fake server: no network, fake timers only.
import { Socket } from '@lifeline/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type SocketState, socketStore } from '../src';
import { listeners, fakeServer as makeServer, stopServers } from './harness';

type Chat = { chat: { text: string } };
const reconnect = { initialDelay: 1000, maxDelay: 1000, jitter: 'none' } as const;

/** A fake server (stopped after the test) and socket options that connect to it. */
function fakeServer() {
  const server = makeServer();
  return { server, options: { WebSocket: server.WebSocket, reconnect } };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  stopServers();
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

/** Subscribes like `$store` does and records every value. */
function watch<T>(store: { subscribe(run: (value: T) => void): () => void }) {
  const values: T[] = [];
  const stop = store.subscribe((value) => values.push(value));
  return { values, stop, last: () => values.at(-1)! };
}

describe('socketStore(url)', () => {
  it('makes the socket for its first subscriber and reads idle → connecting → open', async () => {
    const { server, options } = fakeServer();
    const chat = socketStore('ws://a.test/', options);
    expect(chat.socket).toBeNull();
    const seen = watch(chat);
    expect(chat.socket).toBeInstanceOf(Socket);
    await server.flush();
    // The first value is the new socket's: its first attempt started as it was made.
    expect(seen.values.map((v) => v.status)).toEqual(['connecting', 'open']);
    expect(server.open).toHaveLength(1);
    seen.stop();
    await server.flush();
  });

  it('disposes its socket after the last subscriber leaves, leaving no connection', async () => {
    const { server, options } = fakeServer();
    const chat = socketStore('ws://a.test/', options);
    const a = watch(chat);
    const b = watch(chat);
    await server.flush();
    const socket = chat.socket!;
    expect(server.open).toHaveLength(1); // two subscribers, one connection
    a.stop();
    await server.flush();
    expect(socket.status).toBe('open');
    b.stop();
    await server.flush();
    expect(socket.status).toBe('closed');
    expect(chat.socket).toBeNull();
    expect(server.open).toHaveLength(0);
    expect(server.last?.closeRecord?.by).toBe('client');
    expect(listeners(socket)).toEqual({});
  });

  it('keeps the connection when a subscriber leaves and another comes in the same tick', async () => {
    const { server, options } = fakeServer();
    const chat = socketStore('ws://a.test/', options);
    const first = watch(chat);
    await server.flush();
    const socket = chat.socket;
    first.stop();
    const second = watch(chat); // an {#if} swap: one component destroyed, another created
    await server.flush();
    expect(chat.socket).toBe(socket);
    expect(second.last().status).toBe('open');
    expect(server.connections).toHaveLength(1);
    expect(server.open).toHaveLength(1);
    second.stop();
    await server.flush();
  });

  it('puts the last envelope in lastMessage, never a reply or a protocol frame', async () => {
    const { server, options } = fakeServer();
    const chat = socketStore<Chat>('ws://a.test/', options);
    const seen = watch(chat);
    await server.flush();
    server.send('chat', { text: 'hi' });
    const shown = seen.last().lastMessage;
    expect(shown).toEqual({ type: 'chat', data: { text: 'hi' } });
    server.sendRaw('{"type":"pong"}');
    server.sendRaw('{"type":"chat","re":"nobody","data":{"text":"reply"}}');
    server.sendRaw('not json');
    expect(seen.last().lastMessage).toBe(shown);
    seen.stop();
    await server.flush();
  });

  it('shows the retry while reconnecting, and clears it on open', async () => {
    const { server, options } = fakeServer();
    const chat = socketStore('ws://a.test/', options);
    const seen = watch(chat);
    await server.flush();
    const before = seen.values.length;
    server.drop();
    const retry = seen.last().retry;
    expect(seen.last()).toMatchObject({
      status: 'reconnecting',
      retry: { attempt: 1, delay: 1000 },
    });
    expect(retry).toBe(chat.socket!.retry);
    // On the socket's monotonic clock: due `delay` ms after the drop.
    expect(retry!.retryAt - performance.now()).toBe(1000);
    // One notification per change: status and retry together.
    expect(seen.values.slice(before).map((v) => [v.status, v.retry?.attempt])).toEqual([
      ['reconnecting', 1],
    ]);

    await vi.advanceTimersByTimeAsync(1000);
    await server.flush();
    expect(seen.last()).toMatchObject({ status: 'open', retry: null });
    seen.stop();
    await server.flush();
  });

  it('counts attempts up while the server is down, and clears them when it gives up', async () => {
    const { server, options } = fakeServer();
    const chat = socketStore('ws://a.test/', {
      ...options,
      reconnect: { ...reconnect, maxAttempts: 2 },
    });
    const seen = watch(chat);
    await server.flush();
    server.restart(60_000, { code: 1006 }); // dropped, and nothing answers for a minute
    expect(seen.last()).toMatchObject({ status: 'reconnecting', retry: { attempt: 1 } });
    await vi.advanceTimersByTimeAsync(1000);
    await server.flush();
    expect(seen.last()).toMatchObject({ status: 'reconnecting', retry: { attempt: 2 } });
    await vi.advanceTimersByTimeAsync(1000);
    await server.flush();
    expect(seen.last()).toMatchObject({ status: 'closed', retry: null });
    expect(server.attempts).toBe(3);
    seen.stop();
    await server.flush();
  });

  it('sends through the socket while subscribed and refuses without one (ERR_NOT_OPEN)', async () => {
    const { server, options } = fakeServer();
    server.reply('sum', (data: number[]) => data.reduce((a, b) => a + b, 0));
    const chat = socketStore<Chat, Chat, { sum: { data: number[]; reply: number } }>(
      'ws://a.test/',
      options,
    );
    expect(() => chat.sendJson('chat', { text: 'early' })).toThrow(
      expect.objectContaining({ code: 'ERR_NOT_OPEN' }),
    );
    expect(() => chat.send('raw')).toThrow(expect.objectContaining({ code: 'ERR_NOT_OPEN' }));
    await expect(chat.request('sum', [1, 2])).rejects.toMatchObject({ code: 'ERR_NOT_OPEN' });

    const seen = watch(chat);
    expect(chat.sendJson('chat', { text: 'hi' })).toBe('queued');
    const sum = chat.request('sum', [1, 2]);
    await server.flush();
    await expect(sum).resolves.toBe(3);
    expect(server.received.map((frame) => frame.envelope?.type)).toEqual(['chat', 'sum']);
    seen.stop();
    await server.flush();
  });
});

describe('socketStore(socket)', () => {
  it('only listens: removes every listener after the last subscriber and leaves the socket open', async () => {
    const { server, options } = fakeServer();
    const socket = new Socket('ws://a.test/', options);
    const before = listeners(socket);
    const store = socketStore(socket);
    expect(store.socket).toBe(socket);
    const seen = watch(store);
    const extra = watch(store);
    await server.flush();
    expect(seen.last().status).toBe('open');
    expect(listeners(socket)).not.toEqual(before);
    seen.stop();
    extra.stop();
    await server.flush();
    expect(listeners(socket)).toEqual(before);
    expect(socket.status).toBe('open');
    expect(store.socket).toBe(socket);
    socket.dispose();
  });

  it('reads the status the socket already has', async () => {
    const { server, options } = fakeServer();
    const socket = new Socket('ws://a.test/', options);
    await server.flush();
    const values: SocketState[] = [];
    const stop = socketStore(socket).subscribe((v) => values.push(v));
    expect(values).toHaveLength(1);
    expect(values[0]!.status).toBe('open');
    stop();
    socket.dispose();
  });

  it('shows a wait already under way to a subscriber that arrives during it', async () => {
    const { server, options } = fakeServer();
    const socket = new Socket('ws://a.test/', {
      ...options,
      reconnect: { ...reconnect, initialDelay: 2000, maxDelay: 2000 },
    });
    await server.flush();
    server.restart(60_000); // closes with 1012 and stays down: each retry fails
    await vi.advanceTimersByTimeAsync(500);
    const seen = watch(socketStore(socket));
    expect(seen.values).toHaveLength(1);
    expect(seen.last()).toMatchObject({
      status: 'reconnecting',
      retry: { attempt: 1, delay: 2000 },
    });
    expect(seen.last().retry!.retryAt - performance.now()).toBe(1500);
    await vi.advanceTimersByTimeAsync(1500);
    await server.flush();
    expect(seen.last().retry).toMatchObject({ attempt: 2, delay: 2000 });
    seen.stop();
    socket.dispose();
  });
});
