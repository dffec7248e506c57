// Type-level tests: `npx tsc -p tsconfig.json` fails if the typing regresses; the runtime body
// only makes sure the hooks are called the way the types describe.
import { Socket, type Status, type StreamPosition, type Subscription } from '@lifeline/core';
import { cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expectTypeOf, it } from 'vitest';
import {
  type IncomingEnvelope,
  SocketProvider,
  type UseSocketResult,
  type UseSubscriptionStatus,
  useSocket,
  useSocketContext,
  useSocketMessage,
  useSocketStatus,
  useSubscription,
} from '../src';

type In = { chat: { text: string }; count: number };
type Out = { say: { text: string } };
type Req = { sum: { data: { a: number; b: number }; reply: number } };

afterEach(cleanup);

describe('typed messages', () => {
  it('flows the message maps from useSocket generics to its result', () => {
    const { result } = renderHook(() =>
      useSocket<In, Out, Req>('ws://127.0.0.1:1/ws', { autoConnect: false }),
    );
    const { socket, status, lastMessage, sendJson, request } = result.current;
    expectTypeOf(socket).toEqualTypeOf<Socket<In, Out, Req> | null>();
    expectTypeOf(status).toEqualTypeOf<Status>();
    expectTypeOf(lastMessage).toEqualTypeOf<IncomingEnvelope<Socket<In>> | undefined>();
    // Narrowing by `type` gives the data itself: no `data?.` needed.
    if (lastMessage?.type === 'chat') expectTypeOf(lastMessage.data.text).toEqualTypeOf<string>();
    if (lastMessage?.type === 'count') expectTypeOf(lastMessage.data).toEqualTypeOf<number>();
    expectTypeOf(sendJson).parameter(0).toEqualTypeOf<'say'>();
    expectTypeOf(request<'sum'>).returns.toEqualTypeOf<Promise<number>>();
    // @ts-expect-error: 'chat' is incoming, not outgoing
    expectTypeOf(() => sendJson('chat', { text: 'x' })).toBeFunction();
    // @ts-expect-error: the say payload needs `text`
    expectTypeOf(() => sendJson('say', { body: 'x' })).toBeFunction();
  });

  it('keeps the type of a socket passed in', () => {
    const socket = new Socket<In, Out, Req>('ws://127.0.0.1:1/ws', { autoConnect: false });
    const { result } = renderHook(() => useSocket(socket));
    expectTypeOf(result.current.socket).toEqualTypeOf<Socket<In, Out, Req> | null>();
    expectTypeOf(renderHook(() => useSocketStatus(socket)).result.current).toEqualTypeOf<Status>();
    socket.dispose();
  });

  it('types useSocketMessage handlers from the socket', () => {
    const socket = new Socket<In>('ws://127.0.0.1:1/ws', { autoConnect: false });
    renderHook(() => {
      useSocketMessage(socket, 'chat', (data, envelope) => {
        expectTypeOf(data).toEqualTypeOf<{ text: string }>();
        expectTypeOf(envelope.type).toEqualTypeOf<'chat'>();
      });
      useSocketMessage(socket, 'count', (data) => expectTypeOf(data).toEqualTypeOf<number>());
      // '*' gets every incoming type, narrowed by `type` like lastMessage.
      useSocketMessage(socket, '*', (envelope) => {
        expectTypeOf(envelope.type).toEqualTypeOf<'chat' | 'count'>();
        if (envelope.type === 'chat') expectTypeOf(envelope.data.text).toEqualTypeOf<string>();
      });
      const untyped = new Socket('ws://127.0.0.1:1/ws', { autoConnect: false });
      useSocketMessage(untyped, '*', (envelope) =>
        expectTypeOf(envelope.type).toEqualTypeOf<string>(),
      );
      untyped.dispose();
      // @ts-expect-error: no such incoming type
      useSocketMessage(socket, 'nope', () => {});
      // @ts-expect-error: chat data has no `body`
      useSocketMessage(socket, 'chat', (data) => data.body);
    });
    socket.dispose();
  });
});

describe('useSocketContext types', () => {
  const wrapper = ({ children }: { children?: ReactNode }) => (
    <SocketProvider url="ws://127.0.0.1:1/ws" options={{ autoConnect: false }}>
      {children}
    </SocketProvider>
  );

  it('takes the message maps <In, Out, Req>, like useSocket and Vue useLifeline', () => {
    const { result } = renderHook(() => useSocketContext<In, Out, Req>(), { wrapper });
    const { socket, lastMessage, sendJson, request } = result.current;
    expectTypeOf(result.current).toEqualTypeOf<UseSocketResult<Socket<In, Out, Req>>>();
    expectTypeOf(socket).toEqualTypeOf<Socket<In, Out, Req> | null>();
    if (lastMessage?.type === 'chat') expectTypeOf(lastMessage.data.text).toEqualTypeOf<string>();
    expectTypeOf(sendJson).parameter(0).toEqualTypeOf<'say'>();
    expectTypeOf(request<'sum'>).returns.toEqualTypeOf<Promise<number>>();
    // @ts-expect-error: 'chat' is incoming, not outgoing
    expectTypeOf(() => sendJson('chat', { text: 'x' })).toBeFunction();
  });

  it('still accepts a socket type (0.1 form) and is untyped without arguments', () => {
    const typed = renderHook(() => useSocketContext<Socket<In, Out, Req>>(), { wrapper });
    expectTypeOf(typed.result.current).toEqualTypeOf<UseSocketResult<Socket<In, Out, Req>>>();
    const untyped = renderHook(() => useSocketContext(), { wrapper });
    expectTypeOf(untyped.result.current).toEqualTypeOf<UseSocketResult<Socket>>();
    // @ts-expect-error: a map's values must be message data, not a string key list
    useSocketContext<'chat'>;
  });
});

type Streams = {
  [room: `room:${string}`]: { chat: { text: string }; joined: { user: string } };
  prices: { tick: { price: number } };
};

describe('useSubscription types', () => {
  it("types the handler, the result and the stream names from the socket's stream map", () => {
    const socket = new Socket<In, Out, Req, Streams>('ws://127.0.0.1:1/ws', {
      autoConnect: false,
    });
    const { result } = renderHook(() => {
      const room = useSubscription(socket, 'room:42', (data, message) => {
        expectTypeOf(data).toEqualTypeOf<{ text: string } | { user: string }>();
        if (message.type === 'chat') expectTypeOf(message.data.text).toEqualTypeOf<string>();
        expectTypeOf(message.seq).toEqualTypeOf<string>();
      });
      useSubscription(socket, 'prices', (data) => expectTypeOf(data.price).toEqualTypeOf<number>());
      // No handler, or a socket that does not exist yet.
      useSubscription(null as typeof socket | null, 'prices');
      // @ts-expect-error: no such stream
      useSubscription(socket, 'news', () => {});
      // @ts-expect-error: tick data has no `text`
      useSubscription(socket, 'prices', (data) => data.text);
      return room;
    });
    const { status, position, subscription } = result.current;
    expectTypeOf(status).toEqualTypeOf<UseSubscriptionStatus>();
    expectTypeOf(position).toEqualTypeOf<StreamPosition | undefined>();
    expectTypeOf(subscription).toEqualTypeOf<Subscription<Streams[`room:${string}`]> | null>();
    socket.dispose();
  });

  it("flows the stream map from useSocket's fourth type argument", () => {
    renderHook(() => {
      const { socket } = useSocket<In, Out, Req, Streams>('ws://127.0.0.1:1/ws', {
        autoConnect: false,
      });
      useSubscription(socket, 'room:1', (data) => {
        if ('text' in data) expectTypeOf(data.text).toEqualTypeOf<string>();
      });
      // An untyped socket takes any stream, with untyped data.
      const untyped = useSocket('ws://127.0.0.1:1/ws', { autoConnect: false }).socket;
      useSubscription(untyped, 'anything', (data) => expectTypeOf(data).toBeAny());
    });
  });
});
