// The dev server in Node, against a real `ws` client: handshake report, replies, every fault.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WS from 'ws';
import { computeAccept } from './accept';
import { type DevServer, startDevServer } from './dev-server';
import { MALFORMED_FRAME } from './fault-runner';
import { listenWithFallback } from './listen';
import { type TestClient as Client, createTestClients } from './test-client';

const clients = createTestClients();
const connect = clients.connect;
let server: DevServer;
let coreDist: string;

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;
const ofType = (type: string) => (text: string) => text.startsWith(`{"type":"${type}"`);
const fault = (client: Client, data: Record<string, unknown>) =>
  client.ws.send(JSON.stringify({ type: 'fault', data }));

beforeAll(async () => {
  coreDist = mkdtempSync(join(tmpdir(), 'lifeline-dist-'));
  server = await startDevServer({ port: 0, coreDist, log: () => {} });
});

afterEach(() => clients.terminateAll());

afterAll(async () => {
  await server.close();
  rmSync(coreDist, { recursive: true, force: true });
});

describe('handshake', () => {
  it('sends a hello envelope first, describing the upgrade request and a correct accept', async () => {
    const page = `http://localhost:${server.port}`;
    const client = await connect(server.wsUrl, ['chat', 'json'], page);
    const hello = json(await client.next(ofType('hello')));
    expect(client.messages[0]).toBe(JSON.stringify(hello));
    const key = client.key;
    expect(key).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    const answered = client.response.headers['sec-websocket-accept'];
    expect(hello.data).toEqual({
      connectionId: expect.any(Number),
      requestLine: 'GET /ws HTTP/1.1',
      upgrade: 'websocket',
      connection: 'Upgrade',
      key,
      version: '13',
      origin: page,
      protocols: ['chat', 'json'],
      protocol: 'chat',
      accept: answered,
    });
    expect(answered).toBe(computeAccept(key));
    expect(client.ws.protocol).toBe('chat');
  });

  it('refuses WebSocket upgrades on other paths', async () => {
    await expect(connect(server.wsUrl.replace('/ws', '/other'))).rejects.toThrow('HTTP 404');
  });
});

describe('replies', () => {
  it('echoes plain text and binary frames', async () => {
    const client = await connect(server.wsUrl);
    client.ws.send('plain <b>text</b>');
    expect(await client.next((text) => text === 'plain <b>text</b>')).toBeDefined();
    const binary = new Promise<Buffer>((resolve) =>
      client.ws.on('message', (data, isBinary) => isBinary && resolve(data as Buffer)),
    );
    client.ws.send(Buffer.from([1, 2, 3]));
    expect([...(await binary)]).toEqual([1, 2, 3]);
  });

  it('answers echo and sum requests with re and the result', async () => {
    const client = await connect(server.wsUrl);
    client.ws.send(JSON.stringify({ type: 'echo', id: 'e1', data: { nested: [1, 'x'] } }));
    client.ws.send(JSON.stringify({ type: 'sum', id: 's1', data: { a: 2, b: 40 } }));
    client.ws.send(JSON.stringify({ type: 'sum', id: 's2', data: [1, 2, 3.5] }));
    const byRe = (re: string) => async () =>
      json(await client.next((t) => t.includes(`"re":"${re}"`)));
    expect(await byRe('e1')()).toEqual({ type: 'echo', re: 'e1', data: { nested: [1, 'x'] } });
    expect(await byRe('s1')()).toEqual({ type: 'sum', re: 's1', data: 42 });
    expect(await byRe('s2')()).toEqual({ type: 'sum', re: 's2', data: 6.5 });
  });

  it('answers a ping with a pong and an unknown request with UNKNOWN_TYPE (from @lifeline/server)', async () => {
    const client = await connect(server.wsUrl);
    client.ws.send('{"type":"ping"}');
    expect(await client.next(ofType('pong'))).toBe('{"type":"pong"}');
    client.ws.send(JSON.stringify({ type: 'teleport', id: 't1', data: {} }));
    expect(json(await client.next(ofType('teleport')))).toEqual({
      type: 'teleport',
      re: 't1',
      error: { message: 'No handler for request type "teleport"', code: 'UNKNOWN_TYPE' },
    });
  });
});

describe('connections', () => {
  const counts = (client: Client) =>
    client.messages
      .filter(ofType('connections'))
      .map((text) => (json(text).data as { count: number }).count);
  const lastCountIs = (count: number) => (text: string) =>
    text === JSON.stringify({ type: 'connections', data: { count } });

  it('tells every client the count when it changes, after the hello, and answers a request for it', async () => {
    // Clients of earlier tests are terminated asynchronously: start from an empty server.
    for (let tries = 0; server.clients > 0 && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(server.clients).toBe(0);
    const a = await connect(server.wsUrl);
    await a.next(lastCountIs(1));
    expect(json(a.messages[0]!).type).toBe('hello');
    const b = await connect(server.wsUrl);
    await a.next(lastCountIs(2));
    await b.next(lastCountIs(2));
    b.ws.close();
    await a.next(lastCountIs(1), 3000, a.messages.length);
    expect(counts(a)).toEqual([1, 2, 1]);
    expect(counts(b)).toEqual([2]);
    a.ws.send(JSON.stringify({ type: 'connections', id: 'c1' }));
    expect(json(await a.next((text) => text.includes('"re":"c1"')))).toMatchObject({
      data: { count: 1 },
    });
  });

  it('tells a blackholed client nothing', async () => {
    const client = await connect(server.wsUrl);
    fault(client, { kind: 'blackhole' });
    await client.next(ofType('fault'));
    const before = counts(client).length;
    const other = await connect(server.wsUrl);
    await other.next(ofType('connections'));
    other.ws.close();
    await other.closed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(counts(client)).toHaveLength(before);
  });
});

describe('faults', () => {
  it('drop kills the connection without a close frame (1006)', async () => {
    const client = await connect(server.wsUrl);
    fault(client, { kind: 'drop' });
    expect((await client.closed).code).toBe(1006);
  });

  it('close sends the chosen code and reason', async () => {
    const client = await connect(server.wsUrl);
    fault(client, { kind: 'close', code: 4001, reason: 'chosen reason' });
    expect(await client.closed).toEqual({ code: 4001, reason: 'chosen reason' });
  });

  it('restart closes every client with 1012, refuses connections while down, then accepts', async () => {
    const [a, b] = await Promise.all([connect(server.wsUrl), connect(server.wsUrl)]);
    const started = Date.now();
    fault(a!, { kind: 'restart', seconds: 0.5 });
    expect((await a!.closed).code).toBe(1012);
    expect((await b!.closed).code).toBe(1012);
    expect(server.down).toBe(true);
    await expect(connect(server.wsUrl)).rejects.toThrow('HTTP 503');
    let back: Client | undefined;
    for (let tries = 0; !back && tries < 40; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      back = await connect(server.wsUrl).catch(() => undefined);
    }
    expect(back).toBeDefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(server.down).toBe(false);
  });

  it('blackhole keeps the connection open and answers nothing, until a new connection', async () => {
    const client = await connect(server.wsUrl);
    fault(client, { kind: 'blackhole' });
    await client.next(ofType('fault'));
    const seen = client.messages.length;
    client.ws.send('anyone there?');
    client.ws.send('{"type":"ping"}');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.messages.length).toBe(seen);
    expect(client.ws.readyState).toBe(WS.OPEN);
    const fresh = await connect(server.wsUrl);
    fresh.ws.send('hello again');
    expect(await fresh.next((text) => text === 'hello again')).toBeDefined();
  });

  it('delay holds replies for the given time, and 0 turns it off', async () => {
    const client = await connect(server.wsUrl);
    fault(client, { kind: 'delay', ms: 300 });
    await client.next(ofType('fault'));
    let sent = Date.now();
    client.ws.send('slow');
    await client.next((text) => text === 'slow');
    expect(Date.now() - sent).toBeGreaterThanOrEqual(290);
    fault(client, { kind: 'delay', ms: 0 });
    await client.next((text) => text.includes('"ms":0'));
    sent = Date.now();
    client.ws.send('fast');
    await client.next((text) => text === 'fast');
    expect(Date.now() - sent).toBeLessThan(250);
  });

  it('flood sends count envelopes in order', async () => {
    const client = await connect(server.wsUrl);
    fault(client, { kind: 'flood', count: 500, size: 100 });
    await client.next((text) => text.includes('"seq":500,'));
    const floods = client.messages.filter(ofType('flood')).map((text) => json(text).data);
    expect(floods.map((data) => (data as { seq: number }).seq)).toEqual(
      Array.from({ length: 500 }, (_, i) => i + 1),
    );
    expect((floods[0] as { pad: string }).pad).toHaveLength(100);
  });

  it('malformed sends a frame that is not valid JSON', async () => {
    const client = await connect(server.wsUrl);
    fault(client, { kind: 'malformed' });
    const frame = await client.next((text) => text === MALFORMED_FRAME);
    expect(() => JSON.parse(frame)).toThrow(SyntaxError);
  });

  it('rejects bad fault parameters with ERR_BAD_FAULT and stays connected', async () => {
    const client = await connect(server.wsUrl);
    fault(client, { kind: 'flood', count: 1_000_000 });
    expect(json(await client.next(ofType('error')))).toMatchObject({
      type: 'error',
      data: { code: 'ERR_BAD_FAULT', type: 'fault' },
    });
    client.ws.send(
      JSON.stringify({ type: 'fault', id: 'f1', data: { kind: 'close', code: 1005 } }),
    );
    expect(json(await client.next((text) => text.includes('"re":"f1"')))).toMatchObject({
      error: { code: 'ERR_BAD_FAULT' },
    });
    expect(client.ws.readyState).toBe(WS.OPEN);
  });
});

describe('http', () => {
  it('serves the page, the core bundle from coreDist, and nothing outside the folder', async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('lifeline.iife.min.js');

    const missing = await fetch(`${server.url}lifeline.iife.min.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('build core first');
    writeFileSync(join(coreDist, 'lifeline.iife.min.js'), 'var Lifeline = {};');
    const bundle = await fetch(`${server.url}lifeline.iife.min.js`);
    expect(await bundle.text()).toBe('var Lifeline = {};');

    for (const path of ['..%2Fpackage.json', 'server/index.ts', '%2e%2e/%2e%2e/package.json']) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
    }
  });
});

describe('port', () => {
  it('takes the next free port when the preferred one is busy, and says so', async () => {
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as { port: number }).port;
    const lines: string[] = [];
    const other = await startDevServer({ port: busy, log: (line) => lines.push(line) });
    try {
      expect(other.port).toBeGreaterThan(busy);
      expect(lines[0]).toBe(`Port ${busy} on 127.0.0.1 is in use; trying ${busy + 1}.`);
      expect(other.url).toBe(`http://127.0.0.1:${other.port}/`);
    } finally {
      await other.close();
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('fails with a clear message when every port it may try is busy', async () => {
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as { port: number }).port;
    const http = createHttpServer();
    try {
      await expect(
        listenWithFallback(http, { port: busy, host: '127.0.0.1', tries: 0, log: () => {} }),
      ).rejects.toThrow(`Ports ${busy}–${busy} on 127.0.0.1 are all in use`);
      expect(http.listening).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
