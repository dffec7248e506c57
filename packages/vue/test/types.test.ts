// The message maps given to useSocket flow into sendJson, request, envelope and
// useSocketMessage; tsc (run over the tests) fails this file if they stop flowing.
import type { Envelope, StreamPosition, Subscription } from '@lifeline/core';
import { createTestServer } from '@lifeline/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { effectScope } from 'vue';
import { type UseSocketReturn, useSocket } from '../src/index';
import { useSocketMessage } from '../src/useSocketMessage';
import { type UseSubscriptionStatus, useSubscription } from '../src/useSubscription';

/** Never constructed (autoConnect: false): a constructor for the option's type. */
const { WebSocket } = createTestServer();

type In = { chat: { text: string }; count: number };
type Out = { say: { text: string } };
type Req = { sum: { data: { a: number; b: number }; reply: number } };

/** Never called: each line must be a type error, or tsc fails on the unused directive. */
export function rejectedByTypes(chat: UseSocketReturn<In, Out, Req>) {
  // @ts-expect-error: `say` carries { text: string }
  chat.sendJson('say', { text: 1 });
  // @ts-expect-error: `shout` is not an outgoing type
  chat.sendJson('shout', { text: 'hi' });
  // @ts-expect-error: `sum` takes numbers
  chat.request('sum', { a: '1', b: 2 });
  // @ts-expect-error: `other` is not an incoming type
  useSocketMessage(chat.socket, 'other', () => {});
}

describe('typed message maps', () => {
  it('type sendJson, request, envelope and useSocketMessage from the maps', () => {
    const scope = effectScope();
    scope.run(() => {
      const chat = useSocket<In, Out, Req>('ws://typed.test/', { WebSocket, autoConnect: false });
      expect(chat.sendJson('say', { text: 'hi' })).toBe('queued');
      const reply = chat.request('sum', { a: 1, b: 2 });
      reply.catch(() => {}); // rejected with ERR_CLOSED when the scope stops
      expectTypeOf(reply).toEqualTypeOf<Promise<number>>();
      expectTypeOf(chat.envelope.value).toEqualTypeOf<
        | (Envelope<'chat', { text: string }> & { data: { text: string } })
        | (Envelope<'count', number> & { data: number })
        | undefined
      >();
      // Narrowing by `type` gives the data itself: no `data?.` needed.
      const last = chat.envelope.value;
      if (last?.type === 'chat') expectTypeOf(last.data.text).toEqualTypeOf<string>();
      useSocketMessage(chat.socket, '*', (envelope) => {
        expectTypeOf(envelope.type).toEqualTypeOf<'chat' | 'count'>();
        if (envelope.type === 'count') expectTypeOf(envelope.data).toEqualTypeOf<number>();
      });
      useSocketMessage(chat.socket, 'chat', (data, envelope) => {
        expectTypeOf(data).toEqualTypeOf<{ text: string }>();
        expectTypeOf(envelope.type).toEqualTypeOf<'chat'>();
      });
      expect(chat.socket.value?.queued).toBe(2);
    });
    scope.stop();
  });
});

type Streams = {
  [room: `room:${string}`]: { chat: { text: string }; joined: { user: string } };
  prices: { tick: { price: number } };
};

/** Never called: each line must be a type error, or tsc fails on the unused directive. */
export function rejectedStreams(chat: UseSocketReturn<In, Out, Req, Streams>) {
  // @ts-expect-error: no such stream
  useSubscription(chat.socket, 'news');
  // @ts-expect-error: tick data has no `text`
  useSubscription(chat.socket, 'prices', (data) => data.text);
}

describe('typed streams', () => {
  it('types useSubscription from the fourth type argument of useSocket', () => {
    const scope = effectScope();
    scope.run(() => {
      const chat = useSocket<In, Out, Req, Streams>('ws://typed.test/', {
        WebSocket,
        autoConnect: false,
      });
      const room = useSubscription(
        chat.socket,
        () => 'room:42' as const,
        (data, message) => {
          expectTypeOf(data).toEqualTypeOf<{ text: string } | { user: string }>();
          if (message.type === 'chat') expectTypeOf(message.data.text).toEqualTypeOf<string>();
        },
      );
      expectTypeOf(room.status.value).toEqualTypeOf<UseSubscriptionStatus>();
      expectTypeOf(room.position.value).toEqualTypeOf<StreamPosition | undefined>();
      expectTypeOf(room.subscription.value).toEqualTypeOf<Subscription<
        Streams['room:42']
      > | null>();
      useSubscription(chat.socket, 'prices', (data) =>
        expectTypeOf(data.price).toEqualTypeOf<number>(),
      );
      // Untyped sockets take any stream.
      const untyped = useSocket('ws://typed.test/', { WebSocket, autoConnect: false });
      useSubscription(untyped.socket, 'anything', (data) => expectTypeOf(data).toBeAny());
    });
    scope.stop();
  });
});
