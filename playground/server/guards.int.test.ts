// The dev server's guards, against real `ws` clients: only the page's own origins (and clients
// without Origin) may open /ws, and a client that does not read cannot make the server buffer
// without bound by asking for flood after flood.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from './dev-server';
import { FAULT_LIMITS } from './faults';
import { FLOOD_HIGH_WATER } from './flood';
import { type TestClient as Client, createTestClients } from './test-client';

const clients = createTestClients();
const connect = clients.connect;
const lines: string[] = [];
let server: DevServer;

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;
/** A small reply (never one of the 64 KiB flood envelopes, which would be slow to search). */
const small = (needle: string) => (text: string) => text.length < 1000 && text.includes(needle);
const floodSeq = (seq: number) => (text: string) =>
  text.startsWith(`{"type":"flood","data":{"seq":${seq},`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something, or fails after `timeoutMs`. */
async function until<T>(probe: () => T | undefined, what: string, everyMs = 10): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

beforeAll(async () => {
  server = await startDevServer({ port: 0, log: (line) => lines.push(line) });
});

afterEach(() => {
  clients.terminateAll();
  lines.length = 0;
});

afterAll(() => server.close());

describe('Origin check on /ws', () => {
  it("accepts the page's own origins, by every loopback name, and clients without Origin", async () => {
    const own = [
      `http://127.0.0.1:${server.port}`,
      `http://localhost:${server.port}`,
      `http://[::1]:${server.port}`,
    ];
    expect(server.origins).toEqual(own);
    for (const origin of [...own, undefined]) {
      const client = await connect(server.wsUrl, [], origin);
      const hello = json(await client.next((text) => text.includes('"hello"')));
      expect((hello.data as { origin: unknown }).origin).toBe(origin ?? null);
    }
  });

  it('refuses a page from any other origin with HTTP 403 before upgrading, and logs why', async () => {
    const foreign = [
      'https://evil.example',
      `http://127.0.0.1:${server.port + 1}`,
      `https://localhost:${server.port}`,
      `http://127.0.0.1.evil.example:${server.port}`,
      'null',
    ];
    for (const origin of foreign) {
      await expect(connect(server.wsUrl, [], origin), origin).rejects.toThrow('HTTP 403');
    }
    expect(server.clients).toBe(0);
    expect(lines).toContain(
      `/ws refused a page from https://evil.example (HTTP 403): only ${server.origins.join(', ')} ` +
        'may connect. Trust another origin with PLAYGROUND_ORIGINS=<origin>[,…] (or allowedOrigins).',
    );
    expect(lines.filter((line) => line.startsWith('/ws refused'))).toHaveLength(foreign.length);
  });

  it('refuses a browser that asks for a host other than its own names (DNS rebinding)', async () => {
    const rebound = `http://rebound.evil.example:${server.port}`;
    await expect(
      connect(server.wsUrl, [], rebound, { Host: `rebound.evil.example:${server.port}` }),
    ).rejects.toThrow('HTTP 403');
    expect(server.clients).toBe(0);
    expect(lines).toContain(
      `/ws refused a page asking for host rebound.evil.example:${server.port} (HTTP 403): not one of this server's names`,
    );
    // A client that is no browser (no Origin) may use any name.
    const tool = await connect(server.wsUrl, [], undefined, {
      Host: `tool.example:${server.port}`,
    });
    expect(json(await tool.next((text) => text.includes('"hello"')))).toMatchObject({
      type: 'hello',
    });
  });

  it('lets extra origins in when asked, and rejects an entry that is not an origin', async () => {
    const other = await startDevServer({
      port: 0,
      allowedOrigins: ['https://Tunnel.Example.net/'],
      log: () => {},
    });
    try {
      expect(other.origins).toContain('https://tunnel.example.net');
      await connect(other.wsUrl, [], 'https://tunnel.example.net');
      await expect(connect(other.wsUrl, [], 'https://evil.example')).rejects.toThrow('HTTP 403');
    } finally {
      await other.close();
    }
    await expect(
      startDevServer({ port: 0, allowedOrigins: ['tunnel.example.net'], log: () => {} }),
    ).rejects.toThrow('"tunnel.example.net" is not an origin');
  });
});

describe('flood backpressure', () => {
  // The biggest flood allowed: 16 MiB, more than the kernel buffers of a loopback connection.
  const BIG = { kind: 'flood', count: 256, size: FAULT_LIMITS.floodSize };
  // What one connection may hold: the high-water mark plus the envelope that crossed it.
  const BOUND = FLOOD_HIGH_WATER + FAULT_LIMITS.floodSize + 1024;

  const stats = () => server.connections[0];
  /** Waits until the server stops making progress on a client that does not read. */
  async function waitUntilStalled() {
    let last = '';
    return until(
      () => {
        const now = stats();
        if (!now || now.bufferedAmount === 0) return undefined;
        const progress = `${now.bufferedAmount} ${now.flood?.sent}`;
        const stalled = progress === last;
        last = progress;
        return stalled ? now : undefined;
      },
      'the server to stop sending to a client that does not read',
      50,
    );
  }

  it('runs one flood at a time and keeps buffered bytes bounded for a client that never reads', async () => {
    const client = await connect(server.wsUrl);
    await client.next(small('"hello"'));
    client.ws.pause();
    for (let i = 1; i <= 10; i++) {
      client.ws.send(JSON.stringify({ type: 'fault', id: `f${i}`, data: BIG }));
    }
    const stalled = await waitUntilStalled();
    expect(stalled.bufferedAmount).toBeLessThanOrEqual(BOUND);
    expect(stalled.flood?.pauses).toBeGreaterThan(0);
    const sent = stalled.flood!.sent;
    expect(sent).toBeLessThan(BIG.count);

    // Sample while the client keeps not reading: the server holds no more than the bound.
    let most = 0;
    for (let i = 0; i < 30; i++) {
      most = Math.max(most, stats()!.bufferedAmount);
      await sleep(10);
    }
    expect(most).toBeLessThanOrEqual(BOUND);
    expect(stats()!.peakBufferedAmount).toBeLessThanOrEqual(BOUND);
    expect(stats()!.flood?.sent).toBe(sent);
    const refusals = lines.filter((line) => line.includes('fault refused: a flood is already'));
    expect(refusals).toHaveLength(9);

    // Reading again drains the flood to its end; the nine other requests were refused.
    client.ws.resume();
    await client.next(floodSeq(BIG.count), 10_000);
    for (let i = 2; i <= 10; i++) {
      const reply = json(await client.next(small(`"re":"f${i}"`)));
      expect(reply.error).toMatchObject({ code: 'ERR_BUSY' });
      expect((reply.error as { message: string }).message).toMatch(
        /^a flood is already running on this connection \(\d+ of 256 sent\)/,
      );
    }
    expect(json(await client.next(small('"re":"f1"')))).toMatchObject({
      type: 'fault',
      data: BIG,
    });
    const seqs = client.messages
      .filter((text) => text.startsWith('{"type":"flood"'))
      .map((text) => (json(text).data as { seq: number }).seq);
    expect(seqs).toEqual(Array.from({ length: BIG.count }, (_, i) => i + 1));

    // Once it is over, the next flood is accepted.
    await until(() => (stats()?.flood === null ? true : undefined), 'the flood to finish');
    client.ws.send(JSON.stringify({ type: 'fault', data: { kind: 'flood', count: 3 } }));
    await client.next(floodSeq(3), 3000, client.messages.length);
  });

  it('stops a paused flood when the client goes away', async () => {
    const client: Client = await connect(server.wsUrl);
    client.ws.pause();
    client.ws.send(JSON.stringify({ type: 'fault', data: BIG }));
    const { flood } = await waitUntilStalled();
    client.ws.terminate();
    await until(
      () => lines.find((line) => line.includes('flood stopped after')),
      'the flood to stop',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`flood stopped after ${flood?.sent} of 256: connection closed`),
      ),
    );
    expect(server.connections).toEqual([]);
  });
});
