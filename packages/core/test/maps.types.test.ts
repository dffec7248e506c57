// Compile-time contract of the message maps (typecheck fails if a line marked as an expected
// error compiles): interfaces as maps, optional data, JSON-only outgoing data. The runtime
// bodies only make the calls the types describe, on a socket that never connects.
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createSocket,
  LifelineError,
  type MessageMap,
  type RequestMap,
  Socket,
} from '../src/index';
import type { Json } from '../src/types';
import { FakeWS } from './support/fake-websocket';

const url = 'wss://example.test/ws';
const options = { WebSocket: FakeWS, autoConnect: false };
const sockets: Socket[] = [];
/** A socket disposed after the test; its pending requests reject then. */
function open<S extends Socket>(socket: S): S {
  sockets.push(socket);
  return socket;
}
/** The request promise itself, with its rejection on dispose() handled. */
function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.dispose();
});

interface In {
  chat: { text: string; from: string };
  presence: { online: number };
}
interface Out {
  chat: { text: string };
  typing: boolean;
}
interface Req {
  sum: { data: { a: number; b: number }; reply: number };
}

describe('maps declared as interfaces', () => {
  it('type a Socket and createSocket end to end', () => {
    const socket = open(new Socket<In, Out, Req>(url, options));
    expectTypeOf(open(createSocket<In, Out, Req>(url, options))).toEqualTypeOf<
      Socket<In, Out, Req>
    >();
    socket.onMessage('chat', (data) => expectTypeOf(data).toEqualTypeOf<In['chat']>());
    socket.onMessage('*', (envelope) => {
      if (envelope.type === 'presence') expectTypeOf(envelope.data.online).toBeNumber();
    });
    socket.sendJson('typing', true);
    expectTypeOf(settled(socket.request('sum', { a: 1, b: 2 }))).toEqualTypeOf<Promise<number>>();
    // @ts-expect-error wrong payload for an outgoing type
    socket.sendJson('chat', { body: 'x' });
    // @ts-expect-error incoming only
    socket.sendJson('presence', { online: 1 });
    // @ts-expect-error wrong request data
    settled(socket.request('sum', { a: '1', b: 2 }));
  });

  it('still satisfy MessageMap and RequestMap, which adapters use as constraints', () => {
    expectTypeOf<In>().toExtend<MessageMap>();
    expectTypeOf<Req>().toExtend<RequestMap>();
    expectTypeOf<'chat'>().not.toExtend<MessageMap>();
    // What an adapter writes: its own generics, constrained by the exported names only.
    function bind<I extends MessageMap, O extends MessageMap, R extends RequestMap>(
      socket: Socket<I, O, R>,
    ) {
      const sendJson: Socket<I, O, R>['sendJson'] = (type, ...data) =>
        socket.sendJson(type, ...data);
      const request: Socket<I, O, R>['request'] = (type, ...args) => socket.request(type, ...args);
      return { sendJson, request };
    }
    const bound = bind(open(new Socket<In, Out, Req>(url, options)));
    bound.sendJson('chat', { text: 'hi' });
    expectTypeOf(settled(bound.request('sum', { a: 1, b: 2 }))).toEqualTypeOf<Promise<number>>();
    // @ts-expect-error the forwarded signature keeps checking data
    bound.sendJson('typing', 'yes');
  });

  it('reject request entries that are not { data, reply }', () => {
    interface NoReplyMap {
      sum: { data: number };
    }
    // @ts-expect-error no reply
    type NoReply = Socket<In, Out, NoReplyMap>;
    // @ts-expect-error not an entry at all
    type NotEntry = Socket<In, Out, { sum: number }>;
    expectTypeOf<NoReply | NotEntry>().not.toBeNever();
  });
});

describe('data that may be undefined is optional', () => {
  type Events = {
    ready: undefined;
    // biome-ignore lint/suspicious/noConfusingVoidType: users write void for "no data"
    leave: void;
    maybe: { id: string } | undefined;
    chat: { text: string };
  };
  interface Calls {
    ping: { data: undefined; reply: 'pong' };
    status: { data?: { verbose: boolean }; reply: string };
    now: { reply: number };
    sum: { data: { a: number }; reply: number };
  }

  it('in sendJson', () => {
    const socket = open(new Socket<In, Events, Calls>(url, options));
    socket.sendJson('ready');
    socket.sendJson('leave');
    socket.sendJson('maybe');
    socket.sendJson('maybe', { id: 'x' });
    socket.sendJson('ready', undefined);
    // @ts-expect-error chat needs its data
    socket.sendJson('chat');
    // @ts-expect-error ready carries no data
    socket.sendJson('ready', { id: 'x' });
  });

  it('in request, and options still follow data', () => {
    const socket = open(new Socket<In, Events, Calls>(url, options));
    expectTypeOf(settled(socket.request('ping'))).toEqualTypeOf<Promise<'pong'>>();
    settled(socket.request('ping', undefined, { timeout: 1000 }));
    settled(socket.request('status'));
    settled(socket.request('status', { verbose: true }, { timeout: 1000 }));
    expectTypeOf(settled(socket.request('now'))).toEqualTypeOf<Promise<number>>();
    // @ts-expect-error sum needs its data
    settled(socket.request('sum'));
    // @ts-expect-error ping carries no data
    settled(socket.request('ping', { a: 1 }));
  });

  it('on an untyped socket', () => {
    const socket = open(new Socket(url, options));
    socket.sendJson('anything');
    settled(socket.request('anything'));
  });
});

describe('outgoing data must be JSON', () => {
  // A type alias, so that these lines fail only for the data under test.
  type Plain = { chat: { text: string } };

  it('accepts JSON data, Date (toJSON), unions, optional fields, recursion, any and unknown', () => {
    interface Tree {
      name: string;
      children: Tree[];
    }
    interface Fine {
      tree: Tree;
      at: Date;
      list: readonly { id: number; tags?: string[] }[];
      pair: [number, string | null];
      kind: 'a' | 'b';
      nested: { deep: { deeper: boolean | undefined } };
      open: Record<string, unknown>;
      // biome-ignore lint/suspicious/noExplicitAny: any stays accepted
      raw: any;
      opaque: unknown;
    }
    expectTypeOf<Fine>().toExtend<Json<Fine>>();
    const socket = open(
      new Socket<Plain, Fine, { save: { data: Fine; reply: null } }>(url, options),
    );
    socket.sendJson('at', new Date());
    socket.sendJson('pair', [1, null]);
  });

  it('rejects bigint, functions, Map, Set and symbols when the socket is declared', () => {
    // @ts-expect-error bigint
    type Big = Socket<Plain, { n: bigint }>;
    // @ts-expect-error a function, deep inside
    type Fn = Socket<Plain, { a: { b: { onDone: () => void }[] } }>;
    // @ts-expect-error a Map
    type WithMap = Socket<Plain, { m: Map<string, number> }>;
    // @ts-expect-error a Set, in an optional field
    type WithSet = Socket<Plain, { s?: Set<string> }>;
    // @ts-expect-error a symbol, as one member of a union
    type Sym = Socket<Plain, { id: string | symbol }>;
    // @ts-expect-error request data
    type BigRequest = Socket<Plain, Plain, { sum: { data: { a: bigint }; reply: number } }>;
    interface Handlers {
      chat: { text: string; render(): string };
    }
    // @ts-expect-error a method, on an interface map
    type Method = Socket<Plain, Handlers>;
    expectTypeOf<Big | Fn | WithMap | WithSet | Sym | BigRequest | Method>().not.toBeNever();
    expectTypeOf<{ n: bigint }>().not.toExtend<Json<{ n: bigint }>>();
    expectTypeOf<{ m: Map<string, number> }[]>().not.toExtend<Json<{ m: Map<string, number> }[]>>();
  });

  it('rejects them at the call when an adapter passed the maps through unchecked', () => {
    function adapterSocket<O extends MessageMap, R extends RequestMap>() {
      return open(new Socket(url, options)) as Socket<MessageMap, O, R>;
    }
    const socket = adapterSocket<{ n: bigint }, { sum: { data: Set<number>; reply: number } }>();
    // The types now say what the codec does at run time.
    expect(() =>
      // @ts-expect-error bigint
      socket.sendJson('n', 1n),
    ).toThrow(LifelineError);
    // @ts-expect-error a Set (JSON would send {})
    settled(socket.request('sum', new Set([1])));
  });

  it('leaves an untyped socket accepting anything', () => {
    const socket = open(new Socket(url, options));
    // Not called: the JSON codec would throw on the bigint at run time.
    const compiles = () => [socket.sendJson('n', 1n), socket.request('sum', new Map())];
    expectTypeOf(compiles).toBeFunction();
  });
});
