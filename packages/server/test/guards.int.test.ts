// What the server refuses and survives: origins, authorize, oversize and malformed frames,
// dead clients, and a graceful close.
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createServer } from '../src/index';
import { cleanUp, delay, onCleanUp, startServer, TestClient, until } from './support/harness';

afterEach(cleanUp);

describe('handshake checks', () => {
  it('answers a cross-origin browser handshake with HTTP 403', async () => {
    const { server, url } = await startServer({ allowOrigins: ['https://app.example.com'] });
    await expect(TestClient.open(url, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    expect(server.stats.refused).toBe(1);
    expect(server.clients).toBe(0);
  });

  it('lets in listed origins, the server’s own host, and clients without Origin', async () => {
    const { server, url } = await startServer({ allowOrigins: ['https://app.example.com'] });
    await TestClient.open(url, { origin: 'https://app.example.com' });
    await TestClient.open(url, { origin: `http://127.0.0.1:${server.port}` });
    await TestClient.open(url);
    await until(() => server.clients === 3, 'three clients');
  });

  it('accepts then closes with 1008 when authorize refuses the connection', async () => {
    const { server, url } = await startServer({
      authorize: ({ request, stream }) =>
        stream !== undefined || request.headers.authorization === 'Bearer good',
    });
    const refused = await TestClient.open(url);
    expect(await refused.closed).toEqual({ code: 1008, reason: 'unauthorized' });
    const welcome = await TestClient.open(url, { headers: { authorization: 'Bearer good' } });
    expect(welcome.ws.readyState).toBe(WebSocket.OPEN);
    expect(server.stats).toMatchObject({ refused: 1, connections: 1 });
  });

  it('closes with 1011 when authorize itself throws, and reports it', async () => {
    const { server, url } = await startServer({
      authorize: async () => {
        throw new Error('auth backend down');
      },
    });
    const errors: unknown[] = [];
    server.on('error', (error) => errors.push(error));
    const client = await TestClient.open(url);
    expect((await client.closed).code).toBe(1011);
    expect(errors).toEqual([expect.objectContaining({ message: 'auth backend down' })]);
  });

  it('answers other paths with 404 when it listens itself', async () => {
    const { server } = await startServer();
    await expect(TestClient.open(`ws://127.0.0.1:${server.port}/other`)).rejects.toThrow(/404/);
  });
});

describe('bad frames', () => {
  it('closes a connection that sends a frame over maxPayload with 1009', async () => {
    const { server, url } = await startServer({ maxPayload: 1024 });
    server.handle('echo', (data) => data);
    const client = await TestClient.open(url);
    expect((await client.request('echo', 'small', 'x'.repeat(900))).data).toHaveLength(900);
    client.send({ type: 'echo', id: 'big', data: 'x'.repeat(2000) });
    expect((await client.closed).code).toBe(1009);
    expect(server.stats.oversize).toBe(1);
  });

  it('ignores and counts malformed, binary and polluting frames while serving others', async () => {
    const { server, url } = await startServer();
    const seen: Array<string | Buffer> = [];
    server.on('malformed', (raw) => seen.push(raw));
    let received: unknown;
    server.on('message', (envelope) => {
      received = envelope.data;
    });
    server.handle('sum', (data) => (data as number[]).reduce((a, b) => a + b, 0));
    const [bad, good] = await Promise.all([TestClient.open(url), TestClient.open(url)]);
    const junk = [
      'not json',
      '[1,2]',
      '{"data":1}',
      '{"type":7}',
      '{"type":"x","id":9}',
      '{"__proto__":{"type":"x"}}',
      '{"type":"subscribe"}',
      '{"type":"unsubscribe","data":{}}',
    ];
    for (const frame of junk) bad.send(frame);
    bad.ws.send(Buffer.from([1, 2, 3]));
    bad.send(
      '{"type":"evt","data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"ok":1}}',
    );
    expect((await good.request('sum', 'g1', [1, 2, 3])).data).toBe(6);
    await until(
      () => server.stats.malformed === junk.length + 1 && received !== undefined,
      'all frames handled',
    );
    expect(seen).toHaveLength(junk.length + 1);
    expect(Buffer.isBuffer(seen.at(-1))).toBe(true);
    expect(received).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    // The sender is still served too: nothing it sent closed it.
    expect((await bad.request('sum', 'b1', [4])).data).toBe(4);
    expect(bad.frames.filter((frame) => !frame.re)).toEqual([]);
  });
});

describe('lifecycle', () => {
  it('terminates a client that stops answering ws-level pings', async () => {
    const { server, url } = await startServer({ pingInterval: 40 });
    const silent = await TestClient.open(url, { autoPong: false });
    const healthy = await TestClient.open(url);
    expect((await silent.closed).code).toBe(1006);
    await delay(100); // several more rounds
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    expect(server.stats.timedOut).toBe(1);
  });

  it('close() sends every client 1012, waits for them, and stops listening', async () => {
    const { server, url } = await startServer();
    const clients = await Promise.all(Array.from({ length: 5 }, () => TestClient.open(url)));
    const disconnects: number[] = [];
    server.on('disconnect', (_context, info) => disconnects.push(info.code));
    await server.close();
    for (const client of clients) {
      expect(await client.closed).toEqual({ code: 1012, reason: 'server restart' });
    }
    expect(disconnects).toEqual([1012, 1012, 1012, 1012, 1012]);
    expect(server.clients).toBe(0);
    await expect(TestClient.open(url)).rejects.toThrow(/ECONNREFUSED/);
    await expect(server.publish('s', 't', 1)).rejects.toMatchObject({ code: 'ERR_CLOSED' });
    await server.close(); // twice is fine
  });

  it('leaves no timer behind after close()', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    onCleanUp(() => vi.useRealTimers());
    const { server, url } = await startServer({ pingInterval: 1000 });
    server.handle('x', () => 1);
    const client = await TestClient.open(url);
    expect((await client.request('x', 't1')).data).toBe(1);
    expect(vi.getTimerCount()).toBeGreaterThan(0); // the ping round
    await server.close();
    await client.closed;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('mounts on an existing http.Server and leaves other upgrade paths to their handler', async () => {
    const http = createHttpServer();
    const other = new WebSocketServer({ noServer: true });
    http.on('upgrade', (request, socket, head) => {
      if (request.url === '/other') {
        other.handleUpgrade(request, socket, head, (ws) => ws.send('from the other handler'));
      }
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    onCleanUp(() => new Promise((resolve) => http.close(resolve)));
    onCleanUp(() => other.close());
    const server = createServer({ server: http, path: '/live' });
    onCleanUp(() => server.close());
    server.handle('hi', () => 'hello');
    expect(server.port).toBeUndefined();

    const ours = await TestClient.open(`ws://127.0.0.1:${port}/live?token=abc`);
    expect((await ours.request('hi', 'h1')).data).toBe('hello');
    const theirs = await TestClient.open(`ws://127.0.0.1:${port}/other`);
    await until(() => theirs.frames.length === 1, 'the other handler’s frame');
    expect(theirs.frames).toEqual([{ raw: 'from the other handler' }]);

    await server.close();
    expect((await ours.closed).code).toBe(1012);
    expect(http.listening).toBe(true); // the user's server stays up
    expect(theirs.ws.readyState).toBe(WebSocket.OPEN);
  });
});
