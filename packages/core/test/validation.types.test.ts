// Compile-time contract of validation (DESIGN §12): handler and reply types come from the
// schemas' outputs (Standard Schema `InferOutput`), with zod, valibot and arktype alike.
// tsc fails if a line marked as an expected error compiles, and checks every expectTypeOf.
import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  createSocket,
  type InferMessages,
  type InferStreams,
  type InvalidEvent,
  Socket,
  type SocketOptions,
  type StandardSchemaV1,
} from '../src/index';
import { FakeWS } from './support/fake-websocket';
import { disposedAfterEach } from './support/harness';

const url = 'wss://example.test/ws';
const base = { WebSocket: FakeWS, autoConnect: false };
const made = disposedAfterEach();

const schemas = {
  chat: z.object({ text: z.string(), at: z.coerce.date() }),
  joined: v.object({ user: v.string() }),
  left: type({ user: 'string', reason: "'timeout' | 'quit'" }),
};

describe('types inferred from schemas', () => {
  it('types onMessage handlers by each schema output (zod, valibot, arktype)', () => {
    const socket = made(new Socket(url, { ...base, schemas }));
    socket.onMessage('chat', (data, envelope) => {
      expectTypeOf(data).toEqualTypeOf<{ text: string; at: Date }>();
      expectTypeOf(envelope.type).toEqualTypeOf<'chat'>();
    });
    socket.onMessage('joined', (data) => expectTypeOf(data).toEqualTypeOf<{ user: string }>());
    socket.onMessage('left', (data) =>
      expectTypeOf(data.reason).toEqualTypeOf<'timeout' | 'quit'>(),
    );
    socket.onMessage('*', (envelope) => {
      if (envelope.type === 'joined') expectTypeOf(envelope.data.user).toBeString();
    });
    // @ts-expect-error no schema, so no such type on an inferred socket
    socket.onMessage('other', () => {});
    const created = made(createSocket(url, { ...base, schemas }));
    created.onMessage('joined', (data) => expectTypeOf(data).toEqualTypeOf<{ user: string }>());
    expect(socket.status).toBe('idle');
  });

  it('leaves a socket without schemas untyped, as before', () => {
    const options: SocketOptions = { ...base, heartbeat: true };
    const plain = made(new Socket(url, options));
    expectTypeOf(plain).toEqualTypeOf<Socket>();
    expectTypeOf(made(new Socket(url, base))).toEqualTypeOf<Socket>();
    plain.onMessage('anything', (data) => expectTypeOf(data).toBeAny());
  });

  it('InferMessages gives the same map, to combine with explicit generics', () => {
    type In = InferMessages<typeof schemas>;
    expectTypeOf<In['chat']>().toEqualTypeOf<{ text: string; at: Date }>();
    const socket = made(new Socket<In, { say: { text: string } }>(url, { ...base, schemas }));
    socket.onMessage('left', (data) => expectTypeOf(data.user).toBeString());
    socket.sendJson('say', { text: 'hi' });
  });

  it('checks schemas against an explicit incoming map', () => {
    interface In {
      chat: { text: string };
      other: { n: number };
    }
    made(new Socket<In>(url, { ...base, schemas: { chat: z.object({ text: z.string() }) } }));
    made(
      new Socket<In>(url, {
        ...base,
        // @ts-expect-error the schema's output is not the map's chat data
        schemas: { chat: z.object({ text: z.number() }) },
      }),
    );
  });

  it('types a request reply by its schema, else by the request map', async () => {
    const socket = made(
      new Socket<{}, {}, { sum: { data: { a: number }; reply: number } }>(url, base),
    );
    const untyped = made(new Socket(url, base));
    const user = v.object({ id: v.number(), name: v.string() });
    const pending = [
      socket.request('sum', { a: 1 }),
      socket.request('sum', { a: 1 }, { schema: z.number().int() }),
      untyped.request('user', { id: 1 }, { schema: user }),
      untyped.request('user', { id: 1 }),
    ] as const;
    expectTypeOf(pending[0]).toEqualTypeOf<Promise<number>>();
    expectTypeOf(pending[1]).toEqualTypeOf<Promise<number>>();
    expectTypeOf(pending[2]).toEqualTypeOf<Promise<{ id: number; name: string }>>();
    expectTypeOf(pending[3]).resolves.toBeAny();
    // @ts-expect-error the schema's output is not the map's reply
    socket.request('sum', { a: 1 }, { schema: z.string() }).catch(() => {});
    socket.dispose();
    untyped.dispose();
    await Promise.allSettled(pending);
  });

  it('InferStreams turns stream patterns into the stream map', () => {
    const streamSchemas = {
      'room:*': { chat: z.object({ text: z.string() }), joined: v.object({ user: v.string() }) },
      prices: { tick: type({ symbol: 'string', price: 'number' }) },
    };
    type Streams = InferStreams<typeof streamSchemas>;
    const socket = made(new Socket<{}, {}, {}, Streams>(url, { ...base, streamSchemas }));
    socket.subscribe('room:42', (data, message) => {
      if (message.type === 'chat') expectTypeOf(message.data).toEqualTypeOf<{ text: string }>();
      expectTypeOf(data).toEqualTypeOf<{ text: string } | { user: string }>();
    });
    socket.subscribe('prices', (data) => expectTypeOf(data.price).toBeNumber());
    // @ts-expect-error not a stream of the schemas
    socket.subscribe('lobby');
  });

  it('types the invalid event and the copied Standard Schema interface', () => {
    const socket = made(new Socket(url, base));
    socket.on('invalid', (event) => {
      expectTypeOf(event).toEqualTypeOf<InvalidEvent>();
      expectTypeOf(event.issues[0]!.message).toBeString();
      expectTypeOf(event.stream).toEqualTypeOf<string | undefined>();
    });
    expectTypeOf(schemas.joined).toMatchTypeOf<StandardSchemaV1<{ user: string }>>();
    expectTypeOf<StandardSchemaV1.InferOutput<typeof schemas.left>>().toEqualTypeOf<{
      user: string;
      reason: 'timeout' | 'quit';
    }>();
  });
});
