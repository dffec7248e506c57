// Validation of incoming messages and replies (DESIGN §12) with real zod 4, valibot 1 and
// arktype 2 schemas over a hand-driven FakeWebSocket: delivery of the schema's output,
// `invalid` for what fails, ERR_INVALID_MESSAGE for replies, throwing and malformed schemas,
// the synchronous fast path, and arrival order around asynchronous schemas.
import { type } from 'arktype';
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Envelope } from '../src/envelope';
import { LifelineError } from '../src/errors';
import { Socket } from '../src/socket';
import type { StandardSchemaV1 } from '../src/validation/standard-schema';
import type { InvalidEvent } from '../src/validation/types';
import { FakeWebSocket, FakeWS } from './support/fake-websocket';

const sockets: Socket[] = [];
beforeEach(() => FakeWebSocket.reset());
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.dispose();
});

type Options = ConstructorParameters<typeof Socket>[1];
/** An open socket over FakeWS with these options. */
function open(options: Options = {}): Socket {
  const socket = new Socket('wss://example.test/ws', { WebSocket: FakeWS, ...options });
  sockets.push(socket);
  FakeWebSocket.last.open();
  return socket;
}
const receive = (envelope: Envelope) => FakeWebSocket.last.receive(JSON.stringify(envelope));
const sentFrames = (): Envelope[] =>
  FakeWebSocket.last.sent.map((frame) => JSON.parse(frame as string));
/** Resolves after `ms` of real time (async schemas below wait on real timers). */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const invalids = (socket: Socket): InvalidEvent[] => {
  const events: InvalidEvent[] = [];
  socket.on('invalid', (event) => events.push(event));
  return events;
};

const libraries: Array<[string, StandardSchemaV1]> = [
  ['zod', z.object({ text: z.string().min(1) })],
  ['valibot', v.object({ text: v.pipe(v.string(), v.minLength(1)) })],
  ['arktype', type({ text: 'string > 0' })],
];

describe('schemas per message type', () => {
  it.each(libraries)('delivers a valid %s message and reports an invalid one', (_name, chat) => {
    const socket = open({ schemas: { chat } });
    const got: unknown[] = [];
    const all: string[] = [];
    socket.onMessage('chat', (data) => got.push(data));
    socket.onMessage('*', (envelope) => all.push(envelope.type));
    const events = invalids(socket);
    receive({ type: 'chat', data: { text: 'hi' } });
    receive({ type: 'chat', data: { text: '' } });
    receive({ type: 'chat', data: { text: 42 } });
    receive({ type: 'other', data: 'not validated' });
    expect(got).toEqual([{ text: 'hi' }]);
    expect(all).toEqual(['chat', 'other']);
    expect(events.map((event) => event.envelope.data)).toEqual([{ text: '' }, { text: 42 }]);
    for (const event of events) {
      expect(event.type).toBe('chat');
      expect(event.stream).toBeUndefined();
      expect(event.issues.length).toBeGreaterThan(0);
      expect(typeof event.issues[0]!.message).toBe('string');
    }
  });

  it('hands handlers the schema output (transforms and coercion), never the raw data', () => {
    const chat = z.object({ text: z.string().trim(), at: z.coerce.date() });
    const socket = open({ schemas: { chat } });
    const got: Array<[unknown, unknown]> = [];
    socket.onMessage('chat', (data, envelope) => got.push([data, envelope.data]));
    receive({ type: 'chat', data: { text: '  hi  ', at: '2026-01-01T00:00:00Z', extra: 1 } });
    const [[data, envelopeData]] = got as [[{ text: string; at: Date }, unknown]];
    expect(data).toEqual({ text: 'hi', at: new Date('2026-01-01T00:00:00Z') });
    expect(envelopeData).toBe(data);
  });

  it('reports an invalid message as error ERR_INVALID_MESSAGE when nobody listens for invalid', () => {
    const socket = open({ schemas: { chat: v.object({ text: v.string() }) } });
    const errors: Error[] = [];
    socket.on('error', (error) => errors.push(error));
    socket.onMessage('chat', () => expect.unreachable());
    receive({ type: 'chat', data: null });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(LifelineError);
    expect((errors[0] as LifelineError).code).toBe('ERR_INVALID_MESSAGE');
    expect((errors[0] as unknown as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
  });

  it('treats a schema that throws, or returns no result, as invalid without throwing', () => {
    const throws: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: () => {
          throw new Error('boom');
        },
      },
    };
    const garbage = { '~standard': { version: 1, vendor: 'test', validate: () => 42 } };
    const socket = open({ schemas: { a: throws, b: garbage as never } });
    const events = invalids(socket);
    socket.onMessage('*', () => expect.unreachable());
    expect(() => receive({ type: 'a', data: 1 })).not.toThrow();
    receive({ type: 'b', data: 1 });
    expect(events.map((event) => event.issues[0]!.message)).toEqual([
      'The schema threw: boom',
      'The schema returned no Standard Schema result',
    ]);
  });

  it('never looks up inherited properties for a type: __proto__ and constructor pass through', () => {
    const socket = open({ schemas: { chat: v.object({ text: v.string() }) } });
    const got: string[] = [];
    socket.onMessage('*', (envelope) => got.push(envelope.type));
    const events = invalids(socket);
    receive({ type: 'constructor', data: 1 });
    FakeWebSocket.last.receive('{"type":"__proto__","data":1}');
    receive({ type: 'toString', data: 1 });
    expect(got).toEqual(['constructor', '__proto__', 'toString']);
    expect(events).toEqual([]);
  });

  it('refuses a schemas option that is not made of Standard Schemas', () => {
    const make = (schemas: unknown) => () => open({ schemas: schemas as never });
    expect(make({ chat: { parse() {} } })).toThrow(/schemas\.chat/);
    expect(make('zod')).toThrow(LifelineError);
    expect(() => open({ streamSchemas: { 'room:*': { chat: 1 } } as never })).toThrow(
      /streamSchemas\["room:\*"\]\.chat/,
    );
    try {
      make({ chat: null })();
    } catch (error) {
      expect((error as LifelineError).code).toBe('ERR_INVALID_OPTION');
    }
  });

  it('stays synchronous for a synchronous schema: delivered before receive returns', () => {
    const socket = open({ schemas: { chat: z.object({ n: z.number() }) } });
    const got: number[] = [];
    socket.onMessage('chat', (data: { n: number }) => got.push(data.n));
    const then = vi.spyOn(Promise.prototype, 'then');
    for (let n = 0; n < 100; n++) receive({ type: 'chat', data: { n } });
    expect(then).not.toHaveBeenCalled();
    then.mockRestore();
    expect(got).toHaveLength(100);
  });
});

describe('request schemas', () => {
  const user = v.object({ id: v.number(), name: v.string() });

  it('resolves with the reply schema output', async () => {
    const socket = open();
    const reply = socket.request(
      'user',
      { id: 1 },
      { schema: z.object({ id: z.coerce.number() }) },
    );
    const { id } = sentFrames().at(-1)!;
    receive({ type: 'user', re: id!, data: { id: '7', extra: true } });
    await expect(reply).resolves.toEqual({ id: 7 });
  });

  it('rejects an invalid reply with ERR_INVALID_MESSAGE carrying the issues', async () => {
    const socket = open();
    const events = invalids(socket);
    const reply = socket.request('user', { id: 1 }, { schema: user });
    receive({ type: 'user', re: sentFrames().at(-1)!.id!, data: { id: 'x' } });
    const error = (await reply.catch((e: unknown) => e)) as LifelineError & { issues: unknown[] };
    expect(error).toBeInstanceOf(LifelineError);
    expect(error.code).toBe('ERR_INVALID_MESSAGE');
    expect(error.issues.length).toBeGreaterThan(0);
    expect(events).toEqual([]); // the request's own rejection reports it
  });

  it('leaves error replies as ERR_REMOTE, unvalidated', async () => {
    const socket = open();
    const reply = socket.request('user', { id: 1 }, { schema: user });
    receive({ type: 'user', re: sentFrames().at(-1)!.id!, error: { message: 'nope' } });
    await expect(reply).rejects.toMatchObject({ code: 'ERR_REMOTE', message: 'nope' });
  });

  it('rejects a schema option that is not a Standard Schema, without sending', async () => {
    const socket = open();
    await expect(socket.request('user', 1, { schema: {} as never })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
    });
    expect(sentFrames()).toEqual([]);
  });

  it('validates a reply with an async schema (zod refine)', async () => {
    const socket = open();
    const schema = z.number().refine(async (n) => {
      await sleep(5);
      return n > 0;
    });
    const good = socket.request('n', 1, { schema });
    receive({ type: 'n', re: sentFrames().at(-1)!.id!, data: 3 });
    const bad = socket.request('n', 1, { schema });
    receive({ type: 'n', re: sentFrames().at(-1)!.id!, data: -3 });
    await expect(good).resolves.toBe(3);
    await expect(bad).rejects.toMatchObject({ code: 'ERR_INVALID_MESSAGE' });
  });
});

describe('async schemas never reorder messages', () => {
  /** A zod schema whose check takes `ms(n)` of real time: later ones may finish first. */
  const slow = (ms: (n: number) => number) =>
    z.object({ n: z.number() }).refine(async ({ n }) => {
      await sleep(ms(n));
      return n >= 0;
    });

  it('delivers in arrival order although later checks finish first (zod)', async () => {
    const socket = open({ schemas: { a: slow((n) => 30 - n * 5) } });
    const got: string[] = [];
    socket.onMessage('*', (envelope) =>
      got.push(`${envelope.type}${(envelope.data as { n: number }).n}`),
    );
    const events = invalids(socket);
    receive({ type: 'a', data: { n: 0 } });
    receive({ type: 'plain', data: { n: 1 } });
    receive({ type: 'a', data: { n: -2 } });
    receive({ type: 'a', data: { n: 3 } });
    receive({ type: 'plain', data: { n: 4 } });
    expect(got).toEqual([]); // everything waits behind the first pending check
    await vi.waitFor(() => expect(got).toHaveLength(4), { timeout: 2000 });
    expect(got).toEqual(['a0', 'plain1', 'a3', 'plain4']);
    expect(events.map((event) => (event.envelope.data as { n: number }).n)).toEqual([-2]);
  });

  it('keeps replies and messages in order around a valibot pipeAsync schema', async () => {
    const delayed = v.pipeAsync(
      v.object({ n: v.number() }),
      v.checkAsync(async ({ n }) => {
        await sleep(n);
        return true;
      }),
    );
    const socket = open({ schemas: { a: delayed } });
    const order: string[] = [];
    socket.onMessage('a', (data) => order.push(`a${(data as { n: number }).n}`));
    const reply = socket.request('sum', 1).then((value) => order.push(`reply${value}`));
    receive({ type: 'a', data: { n: 20 } });
    receive({ type: 'sum', re: sentFrames().at(-1)!.id!, data: 2 });
    receive({ type: 'a', data: { n: 1 } });
    await reply;
    await vi.waitFor(() => expect(order).toHaveLength(3), { timeout: 2000 });
    expect(order).toEqual(['a20', 'reply2', 'a1']);
  });

  it('delivers nothing after dispose or close while a check is pending, and leaks no listener', async () => {
    for (const end of ['dispose', 'close'] as const) {
      const socket = open({ schemas: { a: slow(() => 10) } });
      const got: unknown[] = [];
      socket.onMessage('*', (envelope) => got.push(envelope));
      const events = invalids(socket);
      receive({ type: 'a', data: { n: 1 } });
      receive({ type: 'plain', data: 2 });
      socket[end]();
      await sleep(40);
      expect(got).toEqual([]);
      expect(events).toEqual([]);
      if (end === 'close') {
        // After connect(), new frames are not held behind the voided check.
        socket.connect();
        FakeWebSocket.last.open();
        receive({ type: 'plain', data: 3 });
        expect(got).toHaveLength(1);
      }
    }
  });

  it('treats a rejected async schema as invalid', async () => {
    const rejects: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: () => Promise.reject(new Error('down')),
      },
    };
    const socket = open({ schemas: { a: rejects } });
    const events = invalids(socket);
    const got: unknown[] = [];
    socket.onMessage('*', (envelope) => got.push(envelope.type));
    receive({ type: 'a', data: 1 });
    receive({ type: 'b', data: 1 });
    await vi.waitFor(() => expect(got).toEqual(['b']));
    expect(events[0]!.issues[0]!.message).toBe('The schema threw: down');
  });
});
