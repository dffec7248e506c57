// `persist` on a Socket (DESIGN §10), on fake-indexeddb and a FakeWebSocket: what waited is
// sent by the next socket of the name, in order and with the same request ids; replies to
// requests from before arrive as `reply`; stale entries expire; without storage the socket
// goes on in memory and says so once; stream positions come back within 2 minutes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LifelineError } from '../src/errors';
import type { SocketOptions } from '../src/messaging-options';
import type { Outbox } from '../src/queue';
import { Socket } from '../src/socket';
import type { DropEvent, ReplyEvent, RestoredEvent } from '../src/types';
import {
  type FakeLocks,
  freshStorage,
  outboxFrames,
  outboxRecords,
  until,
  writeRecords,
} from './persist-support';
import { FakeWebSocket, FakeWS } from './support/fake-websocket';

const URL = 'wss://example.test/ws';
let locks: FakeLocks;
const sockets: Socket[] = [];

function socket(options: SocketOptions = {}): Socket {
  const made = new Socket(URL, {
    WebSocket: FakeWS,
    reconnect: { jitter: 'none', initialDelay: 10 },
    persist: { name: 'app' },
    ...options,
  });
  sockets.push(made);
  return made;
}

/** Waits for `s` to start an attempt (after its restore) and opens it. */
async function open(s: Socket): Promise<FakeWebSocket> {
  const pending = () => FakeWebSocket.live().find((ws) => ws.readyState === 0);
  await until(() => s.status !== 'open' && pending() !== undefined);
  const ws = pending()!;
  ws.open();
  return ws;
}

const restoredOf = (s: Socket) =>
  new Promise<RestoredEvent>((resolve) => s.once('restored', resolve));
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
/** What `ws` was sent, JSON frames parsed. */
const frames = (ws: FakeWebSocket) =>
  ws.sent.map((f) => (String(f).startsWith('{') ? JSON.parse(f as string) : f));

beforeEach(() => {
  FakeWebSocket.reset();
  locks = freshStorage();
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.dispose();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('persist: options', () => {
  it.each([
    ['a number', 5],
    ['null', null],
    ['no name', {}],
    ['an empty name', { name: '' }],
    ['a negative maxAge', { name: 'app', maxAge: -1 }],
    ['a string maxAge', { name: 'app', maxAge: '1d' }],
  ])('rejects %s with ERR_INVALID_OPTION', (_, persist) => {
    expect(() => socket({ persist: persist as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });

  it('rejects queue: false (the outbox is the queue made durable)', () => {
    expect(() => socket({ queue: false })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTION',
        message: expect.stringContaining('queue'),
      }),
    );
  });

  it('still validates the queue options it passes on', () => {
    expect(() => socket({ queue: { maxMessages: -1 } })).toThrow(
      expect.objectContaining({ message: expect.stringContaining('queue.maxMessages') }),
    );
    expect(() => socket({ queue: 5 as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });

  it('autoConnect: false stays idle until connect()', async () => {
    const s = socket({ autoConnect: false });
    await restoredOf(s);
    expect(s.status).toBe('idle');
    expect(FakeWebSocket.instances).toHaveLength(0);
    s.connect();
    await open(s);
    expect(s.status).toBe('open');
  });
});

describe('persist: the outbox across a reload', () => {
  it('sends what a previous socket queued, in order, with the same request ids, then replies come as `reply`', async () => {
    const first = socket();
    expect(await restoredOf(first)).toEqual({ messages: 0, requests: 0 });
    first.sendJson('chat', { n: 1 });
    const answer = first.request('sum', { a: 1 }).catch((error) => error);
    first.send('plain text');
    first.request('fail', null).catch(() => {});
    await expect.poll(() => outboxRecords('app')).toHaveLength(4);
    first.dispose(); // like a reload: nothing was sent
    expect(await answer).toMatchObject({ code: 'ERR_CLOSED' });

    const second = socket();
    const replies: ReplyEvent[] = [];
    second.on('reply', (event) => replies.push(event));
    second.sendJson('chat', { n: 2 }); // made before the restore finished: goes after it
    expect(await restoredOf(second)).toEqual({ messages: 2, requests: 2 });
    const ws = await open(second);
    const sent = frames(ws);
    expect(sent.map((f) => f.type ?? f)).toEqual(['chat', 'sum', 'plain text', 'fail', 'chat']);
    expect(sent[0]).toEqual({ type: 'chat', data: { n: 1 } });
    expect(sent[4]).toEqual({ type: 'chat', data: { n: 2 } });
    const sum = sent[1];
    const fail = sent[3];
    expect(sum.id).toMatch(/^[\w-]{16}-\d+$/);
    ws.receive(JSON.stringify({ type: 'sum', re: sum.id, data: 2 }));
    ws.receive(JSON.stringify({ type: 'fail', re: fail.id, error: { message: 'no', code: 'E' } }));
    await tick(); // the events follow the settled promises
    expect(replies).toEqual([
      { id: sum.id, type: 'sum', data: 2 },
      { id: fail.id, type: 'fail', error: expect.any(LifelineError) },
    ]);
    expect((replies[1]!.error as LifelineError).code).toBe('ERR_REMOTE');
    expect((replies[1]!.error as LifelineError).remote).toEqual({ message: 'no', code: 'E' });
    await expect.poll(() => outboxRecords('app')).toEqual([]); // sent or answered: deleted
  });

  it('a restored request unanswered when the connection drops is sent again, same id', async () => {
    const first = socket();
    await restoredOf(first);
    first.request('sum', 1).catch(() => {});
    await expect.poll(() => outboxRecords('app')).toHaveLength(1);
    first.dispose();
    const second = socket();
    await restoredOf(second);
    const ws = await open(second);
    const id = frames(ws)[0].id;
    ws.fail();
    const again = await open(second);
    expect(frames(again)).toEqual([{ type: 'sum', id, data: 1 }]);
  });

  it('a plain message sent before the reload is not sent again; an unanswered request is', async () => {
    const first = socket();
    await restoredOf(first);
    const ws = await open(first);
    first.send('live'); // sent at once: never written
    first.request('sum', 1).catch(() => {}); // sent at once, written until answered
    expect(ws.sent).toHaveLength(2);
    await expect.poll(() => outboxRecords('app')).toHaveLength(1); // the request is durable
    first.dispose();
    const second = socket();
    expect(await restoredOf(second)).toEqual({ messages: 0, requests: 1 });
  });

  it('an answered request and a sent message are deleted', async () => {
    const first = socket();
    await restoredOf(first);
    first.send('queued');
    const reply = first.request('sum', 1);
    const ws = await open(first);
    ws.receive(JSON.stringify({ type: 'sum', re: frames(ws)[1].id, data: 1 }));
    expect(await reply).toBe(1);
    await expect.poll(() => outboxRecords('app')).toEqual([]);
  });

  it('a request that times out, is aborted or rejected by close() is deleted; one cut short by dispose() is kept', async () => {
    const first = socket();
    await restoredOf(first);
    const controller = new AbortController();
    const outcomes = [
      first.request('t', 1, { timeout: 5 }).catch((e) => e.code),
      first.request('a', 1, { signal: controller.signal }).catch((e) => e.code),
    ];
    controller.abort();
    expect(await Promise.all(outcomes)).toEqual(['ERR_TIMEOUT', 'ERR_ABORTED']);
    const closed = first.request('c', 1).catch((e) => e.code);
    first.close();
    expect(await closed).toBe('ERR_CLOSED');
    first.connect();
    first.request('kept', 1).catch(() => {});
    // Written in the background: wait (bounded) until it is durable, then dispose.
    const types = async () => (await outboxRecords('app')).map(([, r]) => (r as { y: string }).y);
    for (let i = 0; i < 100 && !(await types()).includes('kept'); i++) await tick();
    first.dispose();
    await tick();
    expect(await types()).toEqual(['kept']);
  });

  it('clearQueue() and an overflow delete what they drop', async () => {
    const first = socket({ queue: { maxMessages: 2 } });
    await restoredOf(first);
    first.send('one');
    first.send('two');
    first.send('three'); // drops 'one'
    await expect.poll(() => outboxFrames('app')).toEqual(['two', 'three']);
    first.clearQueue();
    await expect.poll(() => outboxRecords('app')).toEqual([]);
  });

  it('a queued send is kept as the queue holds it: nothing is added to the message', async () => {
    const s = socket({ autoConnect: false });
    await restoredOf(s);
    s.send('one');
    s.request('sum', 1).catch(() => {});
    s.send('two');
    // A field added per send would cost an allocation each (and reshape every message).
    const queue = (s as unknown as { _queue: Outbox })._queue;
    const plain = queue.messages.filter((m) => typeof m.data === 'string' && !m.onSend);
    expect(plain.map((m) => Object.keys(m))).toEqual([
      ['data', 'bytes', 'at'],
      ['data', 'bytes', 'at'],
    ]);
    await expect
      .poll(async () => (await outboxRecords('app')).map(([, r]) => (r as { y?: string }).y))
      .toEqual([undefined, 'sum', undefined]);
    s.connect();
    const ws = await open(s);
    expect(frames(ws).map((f) => f.type ?? f)).toEqual(['one', 'sum', 'two']);
    // Sent: the plain ones are deleted, the request waits for its answer.
    await expect
      .poll(async () => (await outboxRecords('app')).map(([, r]) => (r as { y?: string }).y))
      .toEqual(['sum']);
  });

  it('a message the full queue drops at once (drop-newest) is never written; the others stay', async () => {
    const s = socket({ autoConnect: false, queue: { maxMessages: 2, overflow: 'drop-newest' } });
    await restoredOf(s);
    const drops: DropEvent[] = [];
    s.on('drop', (event) => drops.push(event));
    expect(['one', 'two', 'three'].map((m) => s.send(m))).toEqual(['queued', 'queued', 'dropped']);
    expect(drops).toEqual([{ data: 'three', reason: 'overflow' }]);
    await expect.poll(() => outboxFrames('app')).toEqual(['one', 'two']);
    s.connect();
    const ws = await open(s);
    expect(ws.sent).toEqual(['one', 'two']);
    await expect.poll(() => outboxRecords('app')).toEqual([]);
  });

  it('drop-newest: what a drop listener sends into the full queue is dropped and never written either', async () => {
    const s = socket({ autoConnect: false, queue: { maxMessages: 2, overflow: 'drop-newest' } });
    await restoredOf(s);
    const drops: string[] = [];
    s.on('drop', ({ data }) => {
      drops.push(data as string);
      if (data === 'three') expect(s.send('four')).toBe('dropped');
    });
    expect(['one', 'two', 'three'].map((m) => s.send(m))).toEqual(['queued', 'queued', 'dropped']);
    expect(drops).toEqual(['three', 'four']);
    await expect.poll(() => outboxFrames('app')).toEqual(['one', 'two']);
    s.clearQueue();
    await expect.poll(() => outboxRecords('app')).toEqual([]);
  });

  it('what a drop listener sends during an overflow follows the message that caused it, in the outbox too', async () => {
    const s = socket({ autoConnect: false, queue: { maxMessages: 2, overflow: 'drop-oldest' } });
    await restoredOf(s);
    s.on('drop', ({ data }) => {
      if (data === 'one') s.send('after-drop'); // evicts 'two'
    });
    s.send('one');
    s.send('two');
    s.send('three'); // evicts 'one'; the listener's send comes after 'three' in the queue
    expect((s as unknown as { _queue: Outbox })._queue.messages.map((m) => m.data)).toEqual([
      'three',
      'after-drop',
    ]);
    await expect.poll(() => outboxFrames('app')).toEqual(['three', 'after-drop']);
  });

  it('entries older than maxAge are dropped with reason expired; their requests reply with ERR_TIMEOUT', async () => {
    const old = Date.now() - 60_000;
    await writeRecords('app', [
      [[1, 'gone', 1], { v: 1, o: 'gone', at: old, d: 'stale' }],
      [
        [1, 'gone', 2],
        { v: 1, o: 'gone', at: old, d: '{"type":"sum","id":"p-1"}', i: 'p-1', y: 'sum' },
      ],
      [[1, 'gone', 3], { v: 1, o: 'gone', at: Date.now(), d: 'fresh' }],
    ]);
    const s = socket({ persist: { name: 'app', maxAge: 30_000 } });
    const drops: DropEvent[] = [];
    const replies: ReplyEvent[] = [];
    s.on('drop', (event) => drops.push(event));
    s.on('reply', (event) => replies.push(event));
    expect(await restoredOf(s)).toEqual({ messages: 2, requests: 1 });
    const ws = await open(s);
    expect(ws.sent).toEqual(['fresh']);
    expect(drops).toEqual([
      { data: 'stale', reason: 'expired' },
      { data: '{"type":"sum","id":"p-1"}', reason: 'expired' },
    ]);
    await tick();
    expect(replies).toEqual([
      { id: 'p-1', type: 'sum', error: expect.objectContaining({ code: 'ERR_TIMEOUT' }) },
    ]);
    expect(await outboxRecords('app')).toEqual([]);
  });

  it('a restored request sent but never answered gives up when it is maxAge old: a `reply` with ERR_TIMEOUT, and it is deleted', async () => {
    await writeRecords('app', [
      [
        [1, 'gone', 1],
        {
          v: 1,
          o: 'gone',
          at: Date.now() - 800,
          d: '{"type":"sum","id":"q-1"}',
          i: 'q-1',
          y: 'sum',
        },
      ],
    ]);
    const s = socket({ persist: { name: 'app', maxAge: 1000 } });
    const replies: ReplyEvent[] = [];
    s.on('reply', (event) => replies.push(event));
    expect(await restoredOf(s)).toEqual({ messages: 0, requests: 1 });
    const ws = await open(s);
    expect(ws.sent).toEqual(['{"type":"sum","id":"q-1"}']); // sent: the queue no longer ages it
    expect(replies).toEqual([]);
    await until(() => replies.length > 0, 1000); // the 200 ms left of its maxAge
    expect(replies).toEqual([
      { id: 'q-1', type: 'sum', error: expect.objectContaining({ code: 'ERR_TIMEOUT' }) },
    ]);
    await expect.poll(() => outboxRecords('app')).toEqual([]);
  });

  it('corrupt records are skipped, deleted and reported once as ERR_STORAGE; the rest is sent', async () => {
    await writeRecords('app', [
      [[1, 'gone', 1], { nonsense: true }],
      [[1, 'gone', 2], { v: 1, o: 'gone', at: Date.now(), d: 'good' }],
      [[1, 'gone', 3], 42],
    ]);
    const s = socket();
    const errors: Error[] = [];
    s.on('error', (error) => errors.push(error));
    expect(await restoredOf(s)).toEqual({ messages: 1, requests: 0 });
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'ERR_STORAGE',
        message: expect.stringContaining('2 unreadable'),
      }),
    ]);
    const ws = await open(s);
    expect(ws.sent).toEqual(['good']);
  });

  it('does not take what a live socket of the same name (another tab) waits to send', async () => {
    const tabA = socket();
    await restoredOf(tabA);
    tabA.send('from A');
    await expect.poll(() => outboxRecords('app')).toHaveLength(1);
    const tabB = socket();
    expect(await restoredOf(tabB)).toEqual({ messages: 0, requests: 0 });
    const wsA = await open(tabA);
    const wsB = await open(tabB);
    expect(wsA.sent).toEqual(['from A']);
    expect(wsB.sent).toEqual([]);
  });

  it('a connection that opens takes over what a tab of the same name that closed since left, once', async () => {
    const tabA = socket();
    const tabB = socket();
    await Promise.all([restoredOf(tabA), restoredOf(tabB)]);
    tabA.send('from A');
    const request = tabA.request('sum', { a: 1 }).catch(() => 'A closed');
    tabB.send('from B');
    await expect.poll(() => outboxRecords('app')).toHaveLength(3);
    const id = (await outboxRecords('app')).map(([, r]) => (r as { i?: string }).i).find(Boolean);
    tabA.dispose(); // the tab closed: its lock goes, its entries stay
    expect(await request).toBe('A closed');
    const adopted = restoredOf(tabB);
    const replies: ReplyEvent[] = [];
    tabB.on('reply', (event) => replies.push(event));
    const ws = await open(tabB);
    expect(await adopted).toEqual({ messages: 1, requests: 1 });
    await until(() => ws.sent.length === 3);
    expect(frames(ws)).toEqual(['from B', 'from A', { type: 'sum', id, data: { a: 1 } }]);
    ws.receive(JSON.stringify({ type: 'sum', re: id, data: 2 }));
    await until(() => replies.length > 0);
    expect(replies).toEqual([{ id, type: 'sum', data: 2 }]);
    await expect.poll(() => outboxRecords('app')).toEqual([]);
    // A later connection finds nothing more to take: nothing goes out twice.
    const restored = vi.fn();
    tabB.on('restored', restored);
    ws.serverClose(1006, '', false);
    const again = await open(tabB);
    await tick();
    await tick();
    expect(again.sent).toEqual([]);
    expect(restored).not.toHaveBeenCalled();
  });

  it('restored entries are queued even past the queue limits (they were within them once)', async () => {
    await writeRecords('app', [
      [[1, 'gone', 1], { v: 1, o: 'gone', at: Date.now(), d: 'first' }],
      [[1, 'gone', 2], { v: 1, o: 'gone', at: Date.now(), d: 'second' }],
    ]);
    const s = socket({ queue: { maxMessages: 1, overflow: 'error' } });
    const drops: DropEvent[] = [];
    s.on('drop', (event) => drops.push(event));
    expect(await restoredOf(s)).toEqual({ messages: 2, requests: 0 });
    expect(s.queued).toBe(2);
    expect(() => s.send('third')).toThrow(expect.objectContaining({ code: 'ERR_QUEUE_FULL' }));
    const ws = await open(s);
    expect(ws.sent).toEqual(['first', 'second']);
    expect(drops).toEqual([]);
  });
});

describe('persist: with share', () => {
  it("a follower takes back only what its own tab's earlier pages left; once it leads, an open connection takes the rest", async () => {
    sessionStorage.setItem('lifeline-persist:tab', 'this-tab'); // as an earlier page left it
    const record = (o: string, d: string) => ({ v: 1, o, at: Date.now(), d });
    await writeRecords('app', [
      [[1, 'other-tab.a-1', 1], record('other-tab.a-1', 'other tab')],
      [[2, 'this-tab.b-1', 1], record('this-tab.b-1', 'earlier page')],
      [[3, 'b-2', 1], record('b-2', 'older version')], // an owner without a tab: not its own
    ]);
    let role = 'follower';
    const s = socket();
    Object.defineProperty(s, 'role', { get: () => role }); // as `share` reports it
    expect(await restoredOf(s)).toEqual({ messages: 1, requests: 0 });
    const restored = vi.fn();
    s.on('restored', restored);
    const first = await open(s);
    await expect
      .poll(async () => (await outboxRecords('app')).map(([, r]) => (r as { o: string }).o))
      .toEqual(['other-tab.a-1', 'b-2']);
    expect(first.sent).toEqual(['earlier page']);
    expect(restored).not.toHaveBeenCalled(); // its connection opened: still not its to take
    role = 'leader';
    first.serverClose(1006, '', false);
    const second = await open(s);
    await until(() => second.sent.length === 2);
    expect(second.sent).toEqual(['other tab', 'older version']);
    expect(restored.mock.calls).toEqual([[{ messages: 2, requests: 0 }]]);
    await expect.poll(() => outboxRecords('app')).toEqual([]);
  });

  /** A socket (`autoConnect: false`) whose queued `data` is written; resolves to its owner lock. */
  async function liveOwner(data: string): Promise<[Socket, string]> {
    const other = socket({ autoConnect: false });
    await restoredOf(other);
    other.send(data);
    await expect.poll(() => outboxRecords('app')).toHaveLength(1);
    const [row] = await outboxRecords('app');
    return [other, `lifeline-persist:app:${(row![1] as { o: string }).o}`];
  }

  it('the leader waits for a live owner to go, then takes its entries at once, on the open connection', async () => {
    const [other, lock] = await liveOwner('from a live tab');
    const leader = socket();
    Object.defineProperty(leader, 'role', { get: () => 'leader' });
    expect(await restoredOf(leader)).toEqual({ messages: 0, requests: 0 }); // alive: left
    await until(() => locks.waiting(lock) === 1);
    const ws = await open(leader);
    const taken = restoredOf(leader);
    other.dispose(); // the tab closed: no reconnect needed for the leader to notice
    expect(await taken).toEqual({ messages: 1, requests: 0 });
    await until(() => ws.sent.length === 1);
    expect(ws.sent).toEqual(['from a live tab']);
    expect(locks.waiting(lock)).toBe(0);
    await expect.poll(() => outboxRecords('app')).toEqual([]);
  });

  it('a solo socket does not wait for live owners (as without share); a wait ends with dispose()', async () => {
    const [, lock] = await liveOwner('from a live tab');
    const solo = socket();
    expect(await restoredOf(solo)).toEqual({ messages: 0, requests: 0 });
    await open(solo);
    await tick();
    expect(locks.waiting(lock)).toBe(0);
    const leader = socket({ autoConnect: false });
    Object.defineProperty(leader, 'role', { get: () => 'leader' });
    await restoredOf(leader);
    await until(() => locks.waiting(lock) === 1);
    leader.dispose();
    expect(locks.waiting(lock)).toBe(0);
  });
});

describe('persist: no storage', () => {
  it('without IndexedDB the socket works in memory and emits one ERR_STORAGE', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const s = socket();
    const errors: LifelineError[] = [];
    s.on('error', (error) => errors.push(error as LifelineError));
    const restored = vi.fn();
    s.on('restored', restored);
    s.send('kept in memory');
    const ws = await open(s);
    expect(ws.sent).toEqual(['kept in memory']);
    s.request('sum', 1).catch(() => {});
    ws.fail();
    s.send('again');
    await open(s);
    // The other errors are the dropped connection's.
    expect(errors.filter((e) => e.code).map((e) => e.code)).toEqual(['ERR_STORAGE']);
    expect(restored).not.toHaveBeenCalled();
  });

  it('when IndexedDB.open throws (private mode, blocked storage) the same', async () => {
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    const s = socket();
    const errors: LifelineError[] = [];
    s.on('error', (error) => errors.push(error as LifelineError));
    s.send('x');
    const ws = await open(s);
    expect(ws.sent).toEqual(['x']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'ERR_STORAGE' });
    expect((errors[0]!.cause as DOMException).name).toBe('SecurityError');
  });

  it('a write failing later (quota) is reported once; sending goes on', async () => {
    const s = socket();
    await restoredOf(s);
    const errors: LifelineError[] = [];
    s.on('error', (error) => errors.push(error as LifelineError));
    const { IDBObjectStore } = await import('fake-indexeddb');
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    s.send('one');
    s.send('two');
    await tick();
    s.send('three');
    const ws = await open(s);
    expect(ws.sent).toEqual(['one', 'two', 'three']);
    expect(errors.map((e) => e.code)).toEqual(['ERR_STORAGE']);
  });
});

describe('persist: stream positions', () => {
  it('saves positions on pagehide and resumes from them after a reload', async () => {
    const first = socket();
    await restoredOf(first);
    const ws = await open(first);
    first.subscribe('room', () => {});
    const subscribe = frames(ws)[0];
    ws.receive(
      JSON.stringify({ type: 'subscribe', re: subscribe.id, data: { epoch: 'e1', seq: '7' } }),
    );
    ws.receive(JSON.stringify({ type: 'chat', stream: 'room', epoch: 'e1', seq: '8', data: {} }));
    dispatchEvent(new Event('pagehide'));
    first.dispose();

    const second = socket();
    second.subscribe('room', () => {});
    await restoredOf(second);
    const ws2 = await open(second);
    expect(frames(ws2)[0].data).toEqual({ stream: 'room', since: { epoch: 'e1', seq: '8' } });
    // Used once: a later subscription of the same stream starts fresh.
    second.subscribe('other', () => {});
    expect(frames(ws2)[1].data).toEqual({ stream: 'other' });
  });

  it('does not reuse positions saved more than 2 minutes ago', async () => {
    const first = socket();
    await restoredOf(first);
    const ws = await open(first);
    first.subscribe('room', () => {});
    ws.receive(
      JSON.stringify({ type: 'subscribe', re: frames(ws)[0].id, data: { epoch: 'e1', seq: '7' } }),
    );
    dispatchEvent(new Event('pagehide'));
    first.dispose();
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 121_000);
    const second = socket();
    await restoredOf(second);
    const ws2 = await open(second);
    second.subscribe('room', () => {});
    expect(frames(ws2)[0].data).toEqual({ stream: 'room' });
  });

  it('ignores malformed saved positions', async () => {
    sessionStorage.setItem(
      'lifeline-persist:app:streams',
      '[1,[["room","e1","007"],["__proto__","e","1"]]',
    );
    const s = socket();
    await restoredOf(s);
    const ws = await open(s);
    s.subscribe('room', () => {});
    expect(frames(ws)[0].data).toEqual({ stream: 'room' });
    expect(({} as Record<string, unknown>).epoch).toBeUndefined();
  });

  it('a pagehide into the back/forward cache closes the connection to reconnect later; an unload pagehide does not', async () => {
    const s = socket();
    await restoredOf(s);
    const ws = await open(s);
    const closes: Array<{ code: number; reason: string; willReconnect: boolean }> = [];
    s.on('close', ({ code, reason, willReconnect }) =>
      closes.push({ code, reason, willReconnect }),
    );
    dispatchEvent(new Event('pagehide')); // persisted false: the page is being unloaded
    expect(s.status).toBe('open');
    dispatchEvent(Object.assign(new Event('pagehide'), { persisted: true }));
    expect(s.status).toBe('reconnecting');
    expect(ws.closeCalls).toEqual([[1000, 'bfcache']]);
    expect(closes).toEqual([{ code: 1006, reason: 'bfcache', willReconnect: true }]);
    s.dispose();
  });

  it('dispose() removes the pagehide listener and lets go of its lock', async () => {
    const add = vi.spyOn(window, 'addEventListener');
    const remove = vi.spyOn(window, 'removeEventListener');
    const s = socket();
    await restoredOf(s);
    expect(locks.owners()).toHaveLength(1);
    const listener = add.mock.calls.find(([type]) => type === 'pagehide')?.[1];
    expect(listener).toBeTypeOf('function');
    s.dispose();
    expect(remove).toHaveBeenCalledWith('pagehide', listener);
    await tick();
    expect(locks.owners()).toEqual([]);
    expect(add.mock.calls.some(([type]) => type === 'unload' || type === 'beforeunload')).toBe(
      false,
    );
  });
});
