import { Socket } from '@lifeline/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type SocketState, socketStore } from '../src';
import { listeners, mockServer, settle, stopServers, WebSocket } from './harness';

type Chat = { chat: { text: string } };
const options = {
  WebSocket,
  reconnect: { initialDelay: 1000, maxDelay: 1000, jitter: 'none' },
} as const;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  stopServers();
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
    const server = mockServer('ws://a.test/');
    const chat = socketStore('ws://a.test/', options);
    expect(chat.socket).toBeNull();
    const seen = watch(chat);
    expect(chat.socket).toBeInstanceOf(Socket);
    await settle();
    // The first value is the new socket's: its first attempt started as it was made.
    expect(seen.values.map((v) => v.status)).toEqual(['connecting', 'open']);
    expect(server.clients()).toHaveLength(1);
    seen.stop();
    await settle();
  });

  it('disposes its socket after the last subscriber leaves, leaving no connection', async () => {
    const server = mockServer('ws://a.test/');
    const chat = socketStore('ws://a.test/', options);
    const a = watch(chat);
    const b = watch(chat);
    await settle();
    const socket = chat.socket!;
    expect(server.clients()).toHaveLength(1); // two subscribers, one connection
    a.stop();
    await settle();
    expect(socket.status).toBe('open');
    b.stop();
    await settle();
    expect(socket.status).toBe('closed');
    expect(chat.socket).toBeNull();
    expect(server.clients()).toHaveLength(0);
    expect(listeners(socket)).toEqual({});
  });

  it('keeps the connection when a subscriber leaves and another comes in the same tick', async () => {
    const server = mockServer('ws://a.test/');
    const chat = socketStore('ws://a.test/', options);
    const first = watch(chat);
    await settle();
    const socket = chat.socket;
    first.stop();
    const second = watch(chat); // an {#if} swap: one component destroyed, another created
    await settle();
    expect(chat.socket).toBe(socket);
    expect(second.last().status).toBe('open');
    expect(server.clients()).toHaveLength(1);
    second.stop();
    await settle();
  });

  it('puts the last envelope in lastMessage, never a reply or a protocol frame', async () => {
    const server = mockServer('ws://a.test/');
    const chat = socketStore<Chat>('ws://a.test/', options);
    const seen = watch(chat);
    await settle();
    const [client] = server.clients();
    client!.send(JSON.stringify({ type: 'chat', data: { text: 'hi' } }));
    const shown = seen.last().lastMessage;
    expect(shown).toEqual({ type: 'chat', data: { text: 'hi' } });
    client!.send('{"type":"pong"}');
    client!.send('{"type":"chat","re":"nobody","data":{"text":"reply"}}');
    client!.send('not json');
    expect(seen.last().lastMessage).toBe(shown);
    seen.stop();
    await settle();
  });

  it('shows the attempt, delay and retry time while reconnecting, and clears them on open', async () => {
    const server = mockServer('ws://a.test/');
    const chat = socketStore('ws://a.test/', options);
    const seen = watch(chat);
    await settle();
    const before = seen.values.length;
    server.clients()[0]!.close({ code: 1006, reason: 'drop', wasClean: false });
    await vi.advanceTimersByTimeAsync(5);
    const scheduledAt = Date.now();
    expect(seen.last()).toMatchObject({
      status: 'reconnecting',
      attempt: 1,
      delay: 1000,
    });
    // Fake timers fake Date too: the retry is due `delay` ms after the close.
    expect(seen.last().retryAt! - scheduledAt).toBeGreaterThan(990);
    expect(seen.last().retryAt! - scheduledAt).toBeLessThanOrEqual(1000);
    // One notification per change: status, then the retry info.
    expect(seen.values.slice(before).map((v) => [v.status, v.attempt])).toEqual([
      ['reconnecting', 0],
      ['reconnecting', 1],
    ]);

    await vi.advanceTimersByTimeAsync(1100);
    expect(seen.last()).toMatchObject({
      status: 'open',
      attempt: 0,
      delay: undefined,
      retryAt: undefined,
    });
    seen.stop();
    await settle();
  });

  it('counts attempts up while the server is down, and clears them when it gives up', async () => {
    const server = mockServer('ws://a.test/');
    const chat = socketStore('ws://a.test/', {
      ...options,
      // mock-socket refuses a URL without a server with a clean 1000: retry that too.
      reconnect: { ...options.reconnect, maxAttempts: 2, shouldReconnect: () => true },
    });
    const seen = watch(chat);
    await settle();
    server.clients()[0]!.close({ code: 1006, reason: 'drop', wasClean: false });
    server.stop(); // nothing answers any more
    await vi.advanceTimersByTimeAsync(20);
    expect(seen.last()).toMatchObject({ status: 'reconnecting', attempt: 1 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.last()).toMatchObject({ status: 'reconnecting', attempt: 2 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.last()).toMatchObject({ status: 'closed', attempt: 0, retryAt: undefined });
    seen.stop();
    await settle();
  });

  it('sends through the socket while subscribed and refuses without one (ERR_NOT_OPEN)', async () => {
    const server = mockServer('ws://a.test/');
    const received: string[] = [];
    server.on('connection', (client) => {
      client.on('message', (raw) => {
        const frame = JSON.parse(String(raw));
        received.push(frame.type);
        if (frame.id) client.send(JSON.stringify({ type: frame.type, re: frame.id, data: 3 }));
      });
    });
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
    await settle();
    await expect(sum).resolves.toBe(3);
    expect(received).toEqual(['chat', 'sum']);
    seen.stop();
    await settle();
  });
});

describe('socketStore(socket)', () => {
  it('only listens: removes every listener after the last subscriber and leaves the socket open', async () => {
    mockServer('ws://a.test/');
    const socket = new Socket('ws://a.test/', options);
    const before = listeners(socket);
    const store = socketStore(socket);
    expect(store.socket).toBe(socket);
    const seen = watch(store);
    const extra = watch(store);
    await settle();
    expect(seen.last().status).toBe('open');
    expect(listeners(socket)).not.toEqual(before);
    seen.stop();
    extra.stop();
    await settle();
    expect(listeners(socket)).toEqual(before);
    expect(socket.status).toBe('open');
    expect(store.socket).toBe(socket);
    socket.dispose();
  });

  it('reads the status the socket already has', async () => {
    mockServer('ws://a.test/');
    const socket = new Socket('ws://a.test/', options);
    await settle();
    const values: SocketState[] = [];
    const stop = socketStore(socket).subscribe((v) => values.push(v));
    expect(values).toHaveLength(1);
    expect(values[0]!.status).toBe('open');
    stop();
    socket.dispose();
  });
});
