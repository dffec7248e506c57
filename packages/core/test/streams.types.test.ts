// Compile-time contract of the stream map, Socket's fourth generic (DESIGN §8): typecheck
// (tsc) fails if a line marked as an expected error compiles, and checks every expectTypeOf.
// The runtime bodies only make the calls the types describe, on a socket that never connects.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createSocket,
  type GapEvent,
  type ResyncEvent,
  Socket,
  type StreamEnvelope,
  type StreamPosition,
  Subscription,
  type SubscriptionStatus,
} from '../src/index';
import { FakeWS } from './support/fake-websocket';
import { disposedAfterEach } from './support/harness';

const url = 'wss://example.test/ws';
const options = { WebSocket: FakeWS, autoConnect: false };
const made = disposedAfterEach();

interface Room {
  chat: { text: string };
  joined: { user: string };
}
interface Streams {
  [room: `room:${string}`]: Room;
  prices: { tick: { symbol: string; price: number } };
}

describe('typed streams', () => {
  it('types a stream by its name or pattern, data narrowed by message.type', () => {
    const socket = made(new Socket<{}, {}, {}, Streams>(url, options));
    const room = socket.subscribe('room:42', (data, message) => {
      expectTypeOf(message.stream).toBeString();
      expectTypeOf(message.seq).toBeString();
      expectTypeOf(data).toEqualTypeOf<{ text: string } | { user: string }>();
      if (message.type === 'chat') expectTypeOf(message.data).toEqualTypeOf<{ text: string }>();
      else {
        expectTypeOf(message.type).toEqualTypeOf<'joined'>();
        expectTypeOf(message.data.user).toBeString();
      }
    });
    expectTypeOf(room).toEqualTypeOf<Subscription<Room>>();
    room.on('message', (_data, message) => {
      expectTypeOf(message).toEqualTypeOf<
        StreamEnvelope<'chat', { text: string }> | StreamEnvelope<'joined', { user: string }>
      >();
    });
    socket.subscribe('prices', (data) => expectTypeOf(data.price).toBeNumber());

    // @ts-expect-error not a stream of the map
    socket.subscribe('lobby');
    // @ts-expect-error the room pattern has no tick message
    socket.subscribe('room:1', (_data, message) => message.type === 'tick');
    // @ts-expect-error data of the other type
    socket.subscribe('room:1', (_data, message) => message.type === 'chat' && message.data.user);
    expect(room.stream).toBe('room:42');
  });

  it('types the subscription surface', () => {
    const socket = made(createSocket<{}, {}, {}, Streams>(url, options));
    const sub = socket.subscribe('prices', undefined, { data: { token: 't' } });
    expectTypeOf(sub.status).toEqualTypeOf<SubscriptionStatus>();
    expectTypeOf(sub.position).toEqualTypeOf<StreamPosition | undefined>();
    expectTypeOf(sub.stream).toBeString();
    sub.on('gap', (event) => expectTypeOf(event).toEqualTypeOf<GapEvent>());
    sub.on('resync', (event) => expectTypeOf(event).toEqualTypeOf<ResyncEvent>());
    sub.on('status', (status, previous) => {
      expectTypeOf(status).toEqualTypeOf<SubscriptionStatus>();
      expectTypeOf(previous).toEqualTypeOf<SubscriptionStatus>();
    });
    sub.on('error', (error) => expectTypeOf(error).toEqualTypeOf<Error>());
    // @ts-expect-error no such event
    sub.on('nope', () => {});
    expectTypeOf(sub.unsubscribe).toEqualTypeOf<() => void>();
    expect(sub).toBeInstanceOf(Subscription);
  });

  it('leaves an untyped socket open to any stream and data', () => {
    const socket = made(new Socket(url, options));
    const sub = socket.subscribe('anything', (data, message) => {
      expectTypeOf(data).toBeAny();
      expectTypeOf(message.type).toBeString();
    });
    expectTypeOf(sub).toEqualTypeOf<Subscription>();
    // @ts-expect-error a stream name is a string
    expect(() => socket.subscribe(42)).toThrow(/non-empty string/);
    // @ts-expect-error the handler is a function
    expect(() => socket.subscribe('x', 'handler')).toThrow(/function/);
    expect(sub.status).toBe('subscribing');
  });
});
