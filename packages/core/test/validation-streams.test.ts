// Validation of stream messages (`streamSchemas`, DESIGN §8 + §12): an invalid message is
// reported with its stream and does not move the position; the next message goes on from it
// (not a gap), a reload or resume from the position fetches it again; async stream schemas
// keep arrival order across messages, subscribe replies and plain messages. The last block
// runs on @lifeline/testing's fake server, as users' own tests would.
import { createTestServer, type TestServer } from '@lifeline/testing';
import { type } from 'arktype';
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Envelope } from '../src/envelope';
import { Socket } from '../src/socket';
import type { InvalidEvent } from '../src/validation/types';
import { FakeWebSocket, FakeWS } from './support/fake-websocket';

const sockets: Socket[] = [];
beforeEach(() => FakeWebSocket.reset());
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.dispose();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const frames = (ws = FakeWebSocket.last): Envelope[] =>
  ws.sent.map((frame) => JSON.parse(frame as string));
const lastSubscribe = () =>
  frames()
    .filter((f) => f.type === 'subscribe')
    .at(-1)!;
const ack = (seq: string, recovered = true) =>
  FakeWebSocket.last.receive(
    JSON.stringify({
      type: 'subscribe',
      re: lastSubscribe().id,
      data: { epoch: 'e1', seq, recovered },
    }),
  );
const push = (seq: string, data: unknown, type = 'chat', stream = 'room:1') =>
  FakeWebSocket.last.receive(JSON.stringify({ type, stream, epoch: 'e1', seq, data }));

const chat = v.object({ text: v.string() });
type Options = ConstructorParameters<typeof Socket>[1];

/** A live subscription to `stream` at seq `at`, its deliveries, gaps and invalid events. */
function live(options: Options = {}, stream = 'room:1', at = '0') {
  const socket = new Socket('wss://example.test/ws', {
    WebSocket: FakeWS,
    reconnect: { jitter: 'none', initialDelay: 1 },
    streamSchemas: { 'room:*': { chat } },
    ...options,
  });
  sockets.push(socket);
  FakeWebSocket.last.open();
  const got: string[] = [];
  const gaps: unknown[] = [];
  const invalid: InvalidEvent[] = [];
  socket.on('invalid', (event) => invalid.push(event));
  const sub = socket.subscribe(stream, (_data, message) => got.push(message.seq));
  sub.on('gap', (gap) => gaps.push(gap));
  ack(at);
  return { socket, sub, got, gaps, invalid };
}

describe('stream schemas', () => {
  it('delivers valid messages and reports an invalid one with its stream', () => {
    const { sub, got, invalid } = live();
    push('1', { text: 'a' });
    push('2', { text: 2 });
    expect(got).toEqual(['1']);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatchObject({ type: 'chat', stream: 'room:1', envelope: { seq: '2' } });
    expect(invalid[0]!.issues.length).toBeGreaterThan(0);
    expect(sub.position).toEqual({ epoch: 'e1', seq: '1' }); // not moved past the invalid one
  });

  it('goes on with the next message (no gap); the position then moves past both', () => {
    const { sub, got, gaps, invalid } = live();
    push('1', { text: 1 });
    push('2', { text: 2 });
    expect(sub.position?.seq).toBe('0');
    push('3', { text: 'ok' });
    expect(got).toEqual(['3']);
    expect(gaps).toEqual([]);
    expect(invalid.map((event) => event.envelope.seq)).toEqual(['1', '2']);
    expect(sub.position?.seq).toBe('3');
  });

  it('resumes from before an invalid last message, so it is fetched and reported again', async () => {
    const { socket, sub, invalid } = live();
    push('1', { text: 'a' });
    push('2', { bad: true });
    const first = FakeWebSocket.last;
    first.serverClose(1006, '', false);
    await vi.waitFor(() => expect(FakeWebSocket.last).not.toBe(first));
    FakeWebSocket.last.open();
    expect(socket.status).toBe('open');
    expect(lastSubscribe().data).toMatchObject({ since: { epoch: 'e1', seq: '1' } });
    ack('2');
    push('2', { bad: true }); // the replay brings it again: reported again, still not consumed
    expect(invalid.map((event) => event.envelope.seq)).toEqual(['2', '2']);
    expect(sub.position?.seq).toBe('1');
  });

  it('reports a replayed invalid message again; a gap after it starts past it', () => {
    const { sub, got, gaps, invalid } = live();
    push('1', { text: 1 });
    push('2', { text: 2 });
    push('1', { text: 1 }); // the server replays from the position (a resume)
    expect(invalid.map((event) => event.envelope.seq)).toEqual(['1', '2', '1']);
    push('2', { text: 2 });
    push('2', { text: 2 }); // past the last one handled: a duplicate
    expect(sub.duplicates).toBe(1);
    push('5', { text: 'e' });
    expect(gaps).toEqual([{ from: '3', to: '4' }]);
    expect(lastSubscribe().data).toMatchObject({ since: { seq: '0' } });
    expect(got).toEqual([]);
  });

  it('matches exact names before patterns; unmatched streams and types are not validated', () => {
    const socket = new Socket('wss://example.test/ws', {
      WebSocket: FakeWS,
      streamSchemas: {
        'room:*': { chat },
        'room:vip': { chat: z.object({ text: z.string().startsWith('vip') }) },
        'a*b*c': { chat: type({ text: 'string' }) },
      },
    });
    sockets.push(socket);
    FakeWebSocket.last.open();
    const invalid: string[] = [];
    socket.on('invalid', (event) => invalid.push(`${event.stream}/${event.envelope.seq}`));
    for (const stream of ['room:vip', 'room:2', 'lobby', 'axxbyc', 'abxc']) {
      socket.subscribe(stream);
      ack('0');
    }
    push('1', { text: 'hello' }, 'chat', 'room:vip'); // exact: needs "vip"
    push('1', { text: 'hello' }, 'chat', 'room:2');
    push('1', { text: 1 }, 'chat', 'lobby'); // no schema
    push('1', { text: 1 }, 'chat', 'axxbyc');
    push('1', { text: 1 }, 'chat', 'abxc'); // no "c" after the "b"… matches (b, then xc)
    push('2', { text: 1 }, 'joined', 'room:2'); // no schema for this type
    expect(invalid).toEqual(['room:vip/1', 'axxbyc/1', 'abxc/1']);
  });

  it('keeps order around an async stream schema: messages, replies and plain frames wait', async () => {
    const slow = z.object({ text: z.string() }).refine(async () => {
      await sleep(15);
      return true;
    });
    const { socket, sub, got, gaps } = live({ streamSchemas: { 'room:*': { chat: slow } } });
    const order: string[] = [];
    sub.on('message', (_data, message) => order.push(`s${message.seq}`));
    socket.onMessage('plain', (data) => order.push(`p${data}`));
    push('1', { text: 'a' });
    FakeWebSocket.last.receive(JSON.stringify({ type: 'plain', data: 1 }));
    push('2', { text: 'b' });
    push('3', { text: 'c' }, 'joined'); // no schema: still waits its turn
    expect(order).toEqual([]);
    expect(frames().filter((f) => f.type === 'subscribe')).toHaveLength(1); // no gap resubscribe
    await vi.waitFor(() => expect(order).toHaveLength(4), { timeout: 2000 });
    expect(order).toEqual(['s1', 'p1', 's2', 's3']);
    expect(got).toEqual(['1', '2', '3']);
    expect(gaps).toEqual([]);
    expect(sub.position?.seq).toBe('3');
  });

  it('delivers nothing and keeps the position after dispose during an async check', async () => {
    const slow = v.pipeAsync(
      chat,
      v.checkAsync(async () => {
        await sleep(10);
        return true;
      }),
    );
    const { socket, sub, got } = live({ streamSchemas: { 'room:*': { chat: slow } } });
    push('1', { text: 'a' });
    socket.dispose();
    await sleep(30);
    expect(got).toEqual([]);
    expect(sub.position?.seq).toBe('0');
  });
});

describe('with @lifeline/testing', () => {
  let server: TestServer;
  beforeEach(() => {
    server = createTestServer();
  });
  afterEach(() => server.stop());

  it('validates published stream messages and request replies end to end', async () => {
    server.reply('user', ({ id }: { id: number }) => ({ id, name: id === 1 ? 'Ada' : 7 }));
    const socket = new Socket('ws://test/ws', {
      WebSocket: server.WebSocket,
      streamSchemas: { 'room:*': { chat } },
    });
    sockets.push(socket);
    const invalid: InvalidEvent[] = [];
    socket.on('invalid', (event) => invalid.push(event));
    const got: unknown[] = [];
    const sub = socket.subscribe('room:7', (data) => got.push(data));
    await vi.waitFor(() => expect(sub.status).toBe('live'));
    server.publish('room:7', 'chat', { text: 'one' });
    server.publish('room:7', 'chat', { text: null });
    server.publish('room:7', 'chat', { text: 'three' });
    await vi.waitFor(() => expect(got).toHaveLength(2));
    expect(got).toEqual([{ text: 'one' }, { text: 'three' }]);
    expect(invalid.map((event) => event.envelope.seq)).toEqual(['2']);
    const user = v.object({ id: v.number(), name: v.string() });
    await expect(socket.request('user', { id: 1 }, { schema: user })).resolves.toEqual({
      id: 1,
      name: 'Ada',
    });
    await expect(socket.request('user', { id: 2 }, { schema: user })).rejects.toMatchObject({
      code: 'ERR_INVALID_MESSAGE',
    });
  });
});
