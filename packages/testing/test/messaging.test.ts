import { describe, expect, it, vi } from 'vitest';
import { useKit } from './support';

describe('TestServer messaging', () => {
  const kit = useKit();

  it('answers with a handler that resolves later, and gives it the request context', async () => {
    const server = kit.server();
    let release!: (value: string) => void;
    const seen: string[] = [];
    server.reply('slow', (data: { n: number }, context) => {
      seen.push(`${context.id === context.envelope.id}:${data.n}:${context.connection.id}`);
      return new Promise<string>((resolve) => (release = resolve));
    });
    const socket = kit.socket(server);
    const reply = socket.request('slow', { n: 7 });
    await server.nextMessage('slow');
    expect(seen).toEqual(['true:7:1']);
    release('done');
    await expect(reply).resolves.toBe('done');
  });

  it('gives a thrown error without a code the code INTERNAL, and a rejection its code', async () => {
    const server = kit.server();
    server.reply('boom', () => {
      throw new Error('kaput');
    });
    server.reply('late', async () => {
      throw Object.assign(new Error('later'), { code: 'LATE' });
    });
    const socket = kit.socket(server);
    await expect(socket.request('boom')).rejects.toMatchObject({
      code: 'ERR_REMOTE',
      remote: { message: 'kaput', code: 'INTERNAL' },
    });
    await expect(socket.request('late')).rejects.toMatchObject({ remote: { code: 'LATE' } });
  });

  it('answers an unknown request type with UNKNOWN_TYPE, or leaves it to time out', async () => {
    const strict = kit.server();
    await expect(kit.socket(strict).request('nothing')).rejects.toMatchObject({
      remote: { code: 'UNKNOWN_TYPE' },
    });
    const silent = kit.server({ answerUnknown: false });
    const pending = kit.socket(silent).request('nothing', undefined, { timeout: 500 });
    const outcome = pending.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(500);
    expect(await outcome).toMatchObject({ code: 'ERR_TIMEOUT' });
  });

  it('runs a handler once for a request resent after a reconnect (dedupe by id)', async () => {
    const server = kit.server();
    let runs = 0;
    let release!: () => void;
    server.reply('pay', () => {
      runs++;
      return new Promise<string>((resolve) => (release = () => resolve('paid')));
    });
    const socket = kit.socket(server);
    const reply = socket.request('pay', { cents: 100 });
    const first = await server.nextMessage('pay');
    server.drop(); // the reply to the first send would be lost
    await vi.advanceTimersByTimeAsync(1000);
    const again = await server.nextMessage('pay');
    expect(again.id).toBe(first.id);
    release();
    await expect(reply).resolves.toBe('paid');
    expect(runs).toBe(1);
  });

  it('sends events and raw frames; a malformed frame is a message event, never onMessage', async () => {
    const server = kit.server();
    const socket = kit.socket(server);
    const typed: unknown[] = [];
    const raw: unknown[] = [];
    socket.onMessage('note', (data) => typed.push(data));
    socket.on('message', (event) => raw.push(event.data));
    await server.waitFor(() => socket.status === 'open');
    expect(server.send('note', { text: 'hi' })).toBe(1);
    expect(server.sendRaw('{not json')).toBe(1);
    expect(typed).toEqual([{ text: 'hi' }]);
    expect(raw).toEqual(['{"type":"note","data":{"text":"hi"}}', '{not json']);
  });

  it('records raw and decoded frames, binary ones without an envelope, per connection too', async () => {
    const server = kit.server();
    const socket = kit.socket(server);
    socket.sendJson('hello', { to: 'you' });
    socket.send(new Uint8Array([1, 2]));
    socket.send('{"__proto__":{"polluted":true},"type":"x"}');
    await server.flush();
    const [json, binary, hostile] = server.received;
    expect(json?.raw).toBe('{"type":"hello","data":{"to":"you"}}');
    expect(json?.envelope).toEqual({ type: 'hello', data: { to: 'you' } });
    expect(binary?.envelope).toBeUndefined();
    expect(binary?.raw).toBeInstanceOf(Uint8Array);
    expect(hostile?.envelope).toEqual({ type: 'x' });
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(server.last?.received).toEqual(server.received);
  });

  it('takes messages in order with nextMessage, skipping pings unless asked for', async () => {
    const server = kit.server();
    const socket = kit.socket(server, { heartbeat: { interval: 100, timeout: 50 } });
    socket.sendJson('a', 1);
    socket.sendJson('b', 2);
    expect(await server.nextMessage()).toEqual({ type: 'a', data: 1 });
    expect(await server.nextMessage((envelope) => envelope.data === 2)).toEqual({
      type: 'b',
      data: 2,
    });
    const next = server.nextMessage();
    await vi.advanceTimersByTimeAsync(100); // the heartbeat pings; the server pongs
    expect(await server.nextMessage('ping')).toEqual({ type: 'ping' });
    expect(socket.latency).toBe(0);
    socket.sendJson('c', 3);
    expect(await next).toEqual({ type: 'c', data: 3 });
  });

  it('does not answer pings with pong: false, so a heartbeat closes the connection', async () => {
    const server = kit.server({ pong: false });
    const socket = kit.socket(server, { heartbeat: { interval: 100, timeout: 50 } });
    const closes: number[] = [];
    socket.on('close', (event) => closes.push(event.code));
    await server.waitFor(() => socket.status === 'open');
    await vi.advanceTimersByTimeAsync(150);
    expect(closes).toEqual([4000]);
  });

  it('rejects waiters when stopped, with the failed assertion as the cause', async () => {
    const server = kit.server();
    const settled = Promise.allSettled([
      server.waitFor(() => expect(server.attempts).toBe(5)),
      server.nextMessage('never'),
    ]);
    server.stop();
    const [waiting, message] = await settled;
    expect(waiting).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringMatching(/stopped/) },
    });
    expect(String((waiting as PromiseRejectedResult).reason.cause)).toMatch(/to be 5/);
    expect(message).toMatchObject({ status: 'rejected' });
  });

  it('refuses sockets for another URL when given one, and picks the first subprotocol', async () => {
    const server = kit.server({ url: 'ws://app.test/ws' });
    const errors: unknown[] = [];
    const wrong = new (server.WebSocket as unknown as new (url: string) => WebSocket)(
      'ws://else.test/',
    );
    wrong.addEventListener('error', (event) => errors.push(event.type));
    const socket = kit.socket(server, { protocols: ['v2', 'v1'] });
    await server.flush();
    expect(errors).toEqual(['error']);
    expect(wrong.readyState).toBe(3);
    expect(socket.protocol).toBe('v2');
    expect(server.last?.protocols).toEqual(['v2', 'v1']);
    expect(server.attempts).toBe(2);
    expect(server.open).toHaveLength(1);
  });
});

describe('server.WebSocket, used directly', () => {
  const kit = useKit();

  it('behaves like the native surface: events, send while connecting, close checks', async () => {
    const server = kit.server();
    const WS = server.WebSocket;
    const ws = new WS('ws://app.test/raw');
    const events: string[] = [];
    const onMessage = (event: MessageEvent) => events.push(`message ${event.data}`);
    ws.addEventListener('open', () => events.push('open'));
    ws.addEventListener('message', onMessage);
    ws.onclose = (event) => events.push(`close ${event.code} ${event.wasClean}`);
    expect(() => ws.send('too early')).toThrow(/CONNECTING/);
    expect(events).toEqual([]); // nothing synchronous inside the constructor
    await server.flush();
    expect(ws.readyState).toBe(WS.OPEN);
    server.send('x');
    ws.removeEventListener('message', onMessage);
    server.send('y');
    expect(() => ws.close(1001)).toThrow(RangeError);
    ws.close(4001, 'bye');
    expect(ws.readyState).toBe(WS.CLOSING);
    ws.send('dropped silently while closing');
    await server.flush();
    expect(events).toEqual(['open', 'message {"type":"x"}', 'close 4001 true']);
    expect(server.last?.closeRecord).toEqual({
      code: 4001,
      reason: 'bye',
      wasClean: true,
      by: 'client',
    });
    expect(server.received).toEqual([]);
  });

  it('fails a socket closed while connecting with error and 1006, never opening it', async () => {
    const server = kit.server();
    const ws = new server.WebSocket('ws://app.test/raw');
    const events: string[] = [];
    ws.onopen = () => events.push('open');
    ws.onerror = () => events.push('error');
    ws.onclose = (event) => events.push(`close ${event.code}`);
    ws.close();
    await server.flush();
    expect(events).toEqual(['error', 'close 1006']);
    expect(server.connections).toEqual([]);
  });

  it('reports a throwing listener to onListenerError without skipping the next one', async () => {
    const reported: unknown[] = [];
    const server = kit.server({ onListenerError: (error) => reported.push(error) });
    server.on('connection', () => {
      throw new Error('server listener bug');
    });
    const ws = new server.WebSocket('ws://app.test/raw');
    const after = vi.fn();
    ws.onopen = () => {
      throw new Error('client listener bug');
    };
    ws.addEventListener('open', after);
    await server.flush();
    expect(after).toHaveBeenCalledTimes(1);
    expect(reported).toMatchObject([
      { message: 'client listener bug' },
      { message: 'server listener bug' },
    ]);
  });
});
