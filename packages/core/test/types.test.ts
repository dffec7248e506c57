// Compile-time contract of the generic message maps: typecheck (tsc) fails if any line
// marked as an expected error compiles, and checks every expectTypeOf.
import { describe, expectTypeOf, it } from 'vitest';
import { type Envelope, LifelineError, Socket } from '../src/index';
import { FakeWS } from './support/fake-websocket';

type In = { chat: { text: string; from: string }; presence: { online: number } };
type Out = { chat: { text: string }; typing: boolean };
type Req = { sum: { data: { a: number; b: number }; reply: number } };

describe('typed messages', () => {
  it('maps type to data end to end', () => {
    const socket = new Socket<In, Out, Req>('wss://example.test/ws', {
      WebSocket: FakeWS,
      autoConnect: false,
    });

    socket.onMessage('chat', (data, envelope) => {
      expectTypeOf(data).toEqualTypeOf<{ text: string; from: string }>();
      expectTypeOf(envelope.type).toEqualTypeOf<'chat'>();
    });
    // `'*'` gets the union of In's envelopes: checking `type` narrows `data`.
    socket.onMessage('*', (envelope) => {
      expectTypeOf(envelope).toEqualTypeOf<
        | (Envelope<'chat', In['chat']> & { data: In['chat'] })
        | (Envelope<'presence', In['presence']> & { data: In['presence'] })
      >();
      if (envelope.type === 'chat') expectTypeOf(envelope.data.text).toEqualTypeOf<string>();
      else expectTypeOf(envelope.data.online).toEqualTypeOf<number>();
    });
    const sum = socket.request('sum', { a: 1, b: 2 });
    sum.catch(() => {}); // rejected by dispose() below
    expectTypeOf(sum).toEqualTypeOf<Promise<number>>();
    socket.sendJson('typing', true);

    // @ts-expect-error unknown incoming type
    socket.onMessage('nope', () => {});
    // @ts-expect-error wrong payload for an outgoing type
    socket.sendJson('chat', { body: 'x' });
    // @ts-expect-error unknown outgoing type
    socket.sendJson('shout', 'x');
    // @ts-expect-error wrong request data
    void socket.request('sum', { a: '1', b: 2 }).catch(() => {});
    // @ts-expect-error unknown request type
    void socket.request('divide', { a: 1, b: 2 }).catch(() => {});
    socket.dispose();
  });

  it('an untyped socket accepts any type and data', () => {
    const socket = new Socket('wss://example.test/ws', { WebSocket: FakeWS, autoConnect: false });
    socket.sendJson('anything', { at: 'all' });
    socket.onMessage('whatever', (data) => expectTypeOf(data).toBeAny());
    socket.onMessage('*', (envelope) => {
      // biome-ignore lint/suspicious/noExplicitAny: the untyped envelope carries any data
      expectTypeOf(envelope).toEqualTypeOf<Envelope<string, any>>();
    });
    expectTypeOf(socket.send).returns.toEqualTypeOf<'sent' | 'queued' | 'dropped'>();
    expectTypeOf(socket.status).toEqualTypeOf<
      'idle' | 'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed'
    >();
    socket.on('status', (status, previous) => {
      expectTypeOf(status).toEqualTypeOf(previous);
    });
    socket.on('close', (e) => expectTypeOf(e.willReconnect).toBeBoolean());
    // @ts-expect-error not an event of the socket
    socket.on('opened', () => {});
    expectTypeOf(new LifelineError('ERR_TIMEOUT', 'x').code).toMatchTypeOf<string>();
    // @ts-expect-error not a stable error code
    new LifelineError('ERR_WHATEVER', 'x');
    socket.dispose();
  });
});
