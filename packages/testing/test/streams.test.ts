import { describe, expect, it, vi } from 'vitest';
import { useKit } from './support';

const subscribes = (server: { received: { envelope?: { type: string; data?: unknown } }[] }) =>
  server.received.filter((f) => f.envelope?.type === 'subscribe').map((f) => f.envelope?.data);

describe('TestServer streams', () => {
  const kit = useKit();

  it('replies with the head, so history is not delivered; live messages follow in order', async () => {
    const server = kit.server();
    expect(server.publish('room:1', 'chat', 'old')).toEqual({ epoch: 'e1', seq: '1' });
    const socket = kit.socket(server);
    const got: string[] = [];
    const room = socket.subscribe('room:1', (data: string) => got.push(data));
    await server.waitFor(() => room.status === 'live');
    expect(room.position).toEqual({ epoch: 'e1', seq: '1' });
    server.publish('room:1', 'chat', 'a');
    server.publish('room:2', 'chat', 'elsewhere');
    server.publish('room:1', 'chat', 'b');
    expect(got).toEqual(['a', 'b']);
    expect(server.position('room:1')).toEqual({ epoch: 'e1', seq: '3' });
    expect([...(server.last?.subscriptions ?? [])]).toEqual(['room:1']);
  });

  it('turns a message published with deliver: false into a gap the client heals by replay', async () => {
    const server = kit.server();
    const socket = kit.socket(server);
    const got: string[] = [];
    const gaps: unknown[] = [];
    const room = socket.subscribe('room:1', (data: string) => got.push(data));
    room.on('gap', (gap) => gaps.push(gap));
    await server.waitFor(() => room.status === 'live');
    server.publish('room:1', 'chat', 'a');
    server.publish('room:1', 'chat', 'lost', { deliver: false });
    server.publish('room:1', 'chat', 'c');
    await server.waitFor(() => got.length === 3);
    expect(got).toEqual(['a', 'lost', 'c']);
    expect(gaps).toEqual([{ from: '2', to: '2' }]);
    expect(subscribes(server).at(-1)).toEqual({
      stream: 'room:1',
      since: { epoch: 'e1', seq: '1' },
    });
  });

  it('answers recovered: false past the retained window: the subscription resyncs', async () => {
    const server = kit.server({ retain: 2 });
    const socket = kit.socket(server);
    const got: string[] = [];
    const room = socket.subscribe('room:1', (data: string) => got.push(data));
    const resyncs: unknown[] = [];
    room.on('resync', (event) => resyncs.push(event));
    await server.waitFor(() => room.status === 'live');
    server.drop();
    for (const text of ['a', 'b', 'c']) server.publish('room:1', 'chat', text);
    await vi.advanceTimersByTimeAsync(1000);
    await server.waitFor(() => room.status === 'live');
    expect(resyncs).toEqual([{ position: { epoch: 'e1', seq: '3' } }]);
    expect(got).toEqual([]);
    server.publish('room:1', 'chat', 'd');
    expect(got).toEqual(['d']);
  });

  it('replays within the window exactly: retain 2 still resumes from two behind', async () => {
    const server = kit.server({ retain: 2 });
    const socket = kit.socket(server);
    const got: string[] = [];
    const room = socket.subscribe('room:1', (data: string) => got.push(data));
    await server.waitFor(() => room.status === 'live');
    server.drop();
    server.publish('room:1', 'chat', 'a');
    server.publish('room:1', 'chat', 'b');
    await vi.advanceTimersByTimeAsync(1000);
    await server.waitFor(() => got.length === 2);
    expect(got).toEqual(['a', 'b']);
  });

  it('refuses with FORBIDDEN when authorize says no, or with the code it throws', async () => {
    const server = kit.server();
    server.authorize((stream, data) => {
      if (stream === 'vip') throw Object.assign(new Error('members only'), { code: 'MEMBERS' });
      return (data as { token?: string } | undefined)?.token === 'ok';
    });
    const socket = kit.socket(server);
    const errors: unknown[] = [];
    for (const [stream, token] of [
      ['a', 'bad'],
      ['vip', 'ok'],
      ['b', 'ok'],
    ] as const) {
      socket.subscribe(stream, undefined, { data: { token } }).on('error', (e) => errors.push(e));
    }
    await server.flush();
    expect(errors).toMatchObject([
      { code: 'ERR_REMOTE', remote: { code: 'FORBIDDEN' } },
      { code: 'ERR_REMOTE', remote: { code: 'MEMBERS', message: 'members only' } },
    ]);
    expect([...(server.last?.subscriptions ?? [])]).toEqual(['b']);
  });

  it('waits for an async authorize, and stops delivering after unsubscribe', async () => {
    const server = kit.server();
    server.authorize(async () => true);
    const socket = kit.socket(server);
    const got: string[] = [];
    const room = socket.subscribe('room:1', (data: string) => got.push(data));
    await server.waitFor(() => room.status === 'live');
    server.publish('room:1', 'chat', 'a');
    room.unsubscribe();
    await server.nextMessage('unsubscribe');
    server.publish('room:1', 'chat', 'b');
    expect(got).toEqual(['a']);
    expect(server.last?.subscriptions.size).toBe(0);
  });

  it('resyncs after restart with resetStreams, and resumes after one without', async () => {
    const server = kit.server();
    const socket = kit.socket(server);
    const got: string[] = [];
    const room = socket.subscribe('room:1', (data: string) => got.push(data));
    const resyncs: unknown[] = [];
    room.on('resync', (event) => resyncs.push(event));
    await server.waitFor(() => room.status === 'live');
    server.restart(500);
    server.publish('room:1', 'chat', 'kept');
    await vi.advanceTimersByTimeAsync(1000);
    await server.waitFor(() => room.status === 'live');
    expect([got, resyncs]).toEqual([['kept'], []]);

    server.restart(500, { resetStreams: true });
    server.publish('room:1', 'chat', 'new history');
    await vi.advanceTimersByTimeAsync(2000); // the second retry in a row waits 2 s
    await server.waitFor(() => room.status === 'live');
    expect(resyncs).toEqual([{ position: { epoch: 'e2', seq: '1' } }]);
  });

  it('counts seqs past 2^53 without losing precision', () => {
    const server = kit.server();
    const logs = (server as unknown as { _logs: { _log(s: string): { head: bigint } } })._logs;
    logs._log('big').head = 2n ** 53n;
    expect(server.publish('big', 'tick', 1).seq).toBe('9007199254740993');
  });
});
