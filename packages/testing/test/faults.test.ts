import { describe, expect, it, vi } from 'vitest';
import { useKit } from './support';

describe('TestServer faults', () => {
  const kit = useKit();

  it('close(code) follows the reconnect policy: 1000 ends it, 1012 and 1011 retry', async () => {
    const server = kit.server();
    const socket = kit.socket(server);
    const closes: unknown[] = [];
    socket.on('close', ({ code, reason, wasClean, willReconnect }) =>
      closes.push({ code, reason, wasClean, willReconnect }),
    );
    await server.waitFor(() => socket.status === 'open');
    server.close(1011, 'oops');
    await vi.advanceTimersByTimeAsync(1000);
    await server.waitFor(() => socket.status === 'open');
    server.close(1000, 'bye');
    expect(closes).toEqual([
      { code: 1011, reason: 'oops', wasClean: true, willReconnect: true },
      { code: 1000, reason: 'bye', wasClean: true, willReconnect: false },
    ]);
    expect(socket.status).toBe('closed');
    expect(server.connections.map((c) => c.closeRecord?.code)).toEqual([1011, 1000]);
  });

  it('restart(ms) refuses attempts while down, on fake time, then accepts again', async () => {
    const server = kit.server();
    const socket = kit.socket(server);
    await server.waitFor(() => socket.status === 'open');
    server.restart(2500);
    expect(server.down).toBe(true);
    expect(server.last?.closeRecord).toMatchObject({ code: 1012, by: 'server' });
    await vi.advanceTimersByTimeAsync(1000); // retry 1 at 1 s: refused
    expect([server.attempts, socket.status]).toEqual([2, 'reconnecting']);
    await vi.advanceTimersByTimeAsync(2000); // retry 2 at 3 s: the server is back at 2.5 s
    expect(server.down).toBe(false);
    await server.waitFor(() => socket.status === 'open');
    expect(server.attempts).toBe(3);
    expect(server.connections).toHaveLength(2);
  });

  it('restart with code 1006 drops the connections instead', async () => {
    const server = kit.server();
    const socket = kit.socket(server);
    await server.waitFor(() => socket.status === 'open');
    server.restart(0, { code: 1006 });
    expect(server.last?.closeRecord).toEqual({
      code: 1006,
      reason: '',
      wasClean: false,
      by: 'server',
    });
    expect(() => server.restart(-1)).toThrow(RangeError);
  });

  it('blackhole(): the heartbeat finds the dead connection, new attempts hang until healed', async () => {
    const server = kit.server();
    const socket = kit.socket(server, {
      heartbeat: { interval: 1000, timeout: 500 },
      connectTimeout: 2000,
    });
    const closes: number[] = [];
    socket.on('close', (event) => closes.push(event.code));
    await server.waitFor(() => socket.status === 'open');
    server.blackhole();
    expect(server.send('lost')).toBe(0);
    await vi.advanceTimersByTimeAsync(1500); // ping at 1 s, unanswered for 0.5 s
    expect(closes).toEqual([4000]);
    expect(server.received.map((f) => f.envelope?.type)).toEqual(['ping']); // seen, not answered
    await vi.advanceTimersByTimeAsync(1000); // the retry connects into the blackhole…
    expect(socket.readyState).toBe(0);
    await vi.advanceTimersByTimeAsync(2000); // …and times out
    expect(closes).toEqual([4000, 1006]);
    server.blackhole(false);
    await vi.advanceTimersByTimeAsync(2000);
    await server.waitFor(() => socket.status === 'open');
    expect(server.attempts).toBe(3);
  });

  it('heals a held connection that the client still waits on', async () => {
    const server = kit.server();
    server.blackhole();
    const socket = kit.socket(server);
    await server.flush();
    expect([socket.status, server.connections.length]).toEqual(['connecting', 0]);
    server.blackhole(false);
    expect(socket.status).toBe('open');
  });

  it('stop() closes with 1001, refuses later sockets and leaves no timer', async () => {
    const server = kit.server();
    const socket = kit.socket(server, { reconnect: false });
    await server.waitFor(() => socket.status === 'open');
    server.restart(60_000);
    server.stop();
    expect(vi.getTimerCount()).toBe(0);
    const late = new server.WebSocket('ws://app.test/ws');
    await server.flush();
    expect(late.readyState).toBe(3);
    expect(server.connections).toHaveLength(1);
  });

  it('counts sockets and connections, and emits connection and close events', async () => {
    const server = kit.server();
    const events: string[] = [];
    const off = server.on('connection', (c) => events.push(`connection ${c.id}`));
    server.on('close', (c) => events.push(`close ${c.id} ${c.closeRecord?.code}`));
    server.on('message', (frame) => events.push(`message ${frame.envelope?.type}`));
    const socket = kit.socket(server);
    socket.sendJson('hi');
    await server.waitFor(() => events.length === 2);
    server.last?.close(4001);
    off();
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual(['connection 1', 'message hi', 'close 1 4001']);
    expect(socket.status).toBe('closed'); // 4000–4999 are not retried by default
  });
});
