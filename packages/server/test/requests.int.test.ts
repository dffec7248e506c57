// Requests, replies, pings and dedupe against a real server and real `ws` clients.
import { afterEach, describe, expect, it } from 'vitest';
import { ReplyError } from '../src/index';
import { cleanUp, gate, startServer, TestClient, until } from './support/harness';

afterEach(cleanUp);

describe('requests', () => {
  it('answers a request with the handler’s result as the reply’s data', async () => {
    const { server, url } = await startServer();
    server.handle('sum', (data) => {
      const { a, b } = data as { a: number; b: number };
      return a + b;
    });
    server.handle('later', async () => ({ ok: true }));
    const client = await TestClient.open(url);
    expect(await client.request('sum', 'r1', { a: 2, b: 3 })).toEqual({
      type: 'sum',
      re: 'r1',
      data: 5,
    });
    expect(await client.request('later', 'r2')).toEqual({
      type: 'later',
      re: 'r2',
      data: { ok: true },
    });
  });

  it('turns a thrown error into an error reply with its code, or INTERNAL and an error event', async () => {
    const { server, url } = await startServer();
    const reported: unknown[] = [];
    server.on('error', (error) => reported.push(error));
    server.handle('buy', () => {
      throw new ReplyError('Sold out', 'OUT_OF_STOCK');
    });
    server.handle('coded', async () => {
      throw Object.assign(new Error('No such user'), { code: 'NOT_FOUND' });
    });
    server.handle('bug', () => {
      throw new TypeError('x is undefined');
    });
    server.handle('bigint', () => 10n);
    const client = await TestClient.open(url);
    expect((await client.request('buy', 'b1')).error).toEqual({
      message: 'Sold out',
      code: 'OUT_OF_STOCK',
    });
    expect((await client.request('coded', 'c1')).error).toEqual({
      message: 'No such user',
      code: 'NOT_FOUND',
    });
    expect((await client.request('bug', 'x1')).error).toEqual({
      message: 'x is undefined',
      code: 'INTERNAL',
    });
    expect((await client.request('bigint', 'n1')).error).toMatchObject({ code: 'INTERNAL' });
    expect(reported).toHaveLength(2); // the code-less error and the unencodable reply
    expect(server.stats.errors).toBe(2);
  });

  it('answers a request nobody handles with UNKNOWN_TYPE', async () => {
    const { url } = await startServer();
    const client = await TestClient.open(url);
    const reply = await client.request('nope', 'u1', {});
    expect(reply).toEqual({
      type: 'nope',
      re: 'u1',
      error: { message: 'No handler for request type "nope"', code: 'UNKNOWN_TYPE' },
    });
  });

  it('answers ping with pong, echoing data', async () => {
    const { url } = await startServer();
    const client = await TestClient.open(url);
    client.send({ type: 'ping' });
    client.send({ type: 'ping', data: { t: 42 } });
    client.send({ type: 'ping', id: 'p1' });
    await until(() => client.frames.length === 3, 'three pongs');
    expect(client.frames).toEqual([
      { type: 'pong' },
      { type: 'pong', data: { t: 42 } },
      { type: 'pong' },
    ]);
  });

  it('hands events to message listeners with a context that can answer', async () => {
    const { server, url } = await startServer();
    server.on('message', (envelope, context) => context.send('echo', envelope));
    const client = await TestClient.open(url);
    client.send({ type: 'chat', data: { text: 'hi' } });
    const echo = await client.next((frame) => frame.type === 'echo', 'the echo');
    expect(echo.data).toEqual({ type: 'chat', data: { text: 'hi' } });
  });

  it('a listener that throws does not stop other listeners or the server', async () => {
    const { server, url } = await startServer();
    server.on('message', () => {
      throw new Error('listener bug');
    });
    server.on('message', async () => {
      throw new Error('async listener bug');
    });
    let heard = 0;
    server.on('message', () => heard++);
    server.handle('sum', () => 1);
    const client = await TestClient.open(url);
    client.send({ type: 'chat' });
    await until(() => heard === 1 && server.stats.errors === 2, 'both failures counted');
    expect((await client.request('sum', 's1')).data).toBe(1);
  });
});

describe('dedupe by request id', () => {
  it('runs the handler once for the same id sent concurrently on two connections', async () => {
    const { server, url } = await startServer();
    const release = gate();
    let runs = 0;
    server.handle('charge', async (data) => {
      runs++;
      await release.wait;
      return { charged: data };
    });
    const [one, two] = await Promise.all([TestClient.open(url), TestClient.open(url)]);
    one.send({ type: 'charge', id: 'pay-1', data: 10 });
    await until(() => runs === 1, 'the first run to start');
    two.send({ type: 'charge', id: 'pay-1', data: 10 });
    await until(() => server.stats.deduped === 1, 'the repeat to join');
    release.open();
    const replies = await Promise.all([one.reply('pay-1'), two.reply('pay-1')]);
    expect(replies).toEqual([
      { type: 'charge', re: 'pay-1', data: { charged: 10 } },
      { type: 'charge', re: 'pay-1', data: { charged: 10 } },
    ]);
    expect(runs).toBe(1);
  });

  it('answers a request resent after a reconnect from the cache', async () => {
    const { server, url } = await startServer();
    const release = gate();
    let runs = 0;
    server.handle('order', async () => {
      runs++;
      await release.wait;
      return `order ${runs}`;
    });
    const first = await TestClient.open(url);
    first.send({ type: 'order', id: 'o-1' });
    await until(() => runs === 1, 'the handler to start');
    await first.close(); // the reply is lost with the connection
    release.open();
    await until(() => server.clients === 0, 'the server to see the close');
    const second = await TestClient.open(url);
    expect(await second.request('order', 'o-1')).toEqual({
      type: 'order',
      re: 'o-1',
      data: 'order 1',
    });
    second.frames.length = 0;
    expect(await second.request('order', 'o-1')).toEqual({
      type: 'order',
      re: 'o-1',
      data: 'order 1',
    });
    expect(runs).toBe(1);
    expect(server.stats.deduped).toBe(2);
    expect(first.frames).toEqual([]);
  });

  it('runs again once dedupeWindow has passed', async () => {
    const { server, url } = await startServer({ dedupeWindow: 50 });
    let runs = 0;
    server.handle('n', () => ++runs);
    const client = await TestClient.open(url);
    expect((await client.request('n', 'same')).data).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    client.frames.length = 0;
    expect((await client.request('n', 'same')).data).toBe(2);
  });
});
