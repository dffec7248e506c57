// Compile-time contract of the `WebSocket` option: `ws` (its real @types/ws typings), the DOM
// constructor and test doubles fit without a cast; what is not a WebSocket constructor does not.

import { describe, expect, expectTypeOf, it } from 'vitest';
import WS from 'ws';
import { LifelineError, Socket, type WebSocketConstructor } from '../src/index';
import { FakeWebSocket } from './support/fake-websocket';

const url = 'ws://127.0.0.1:1/ws';

describe('the WebSocket option', () => {
  it("takes ws's WebSocket as it is imported", () => {
    const socket = new Socket(url, { WebSocket: WS, autoConnect: false });
    socket.dispose();
    expectTypeOf(WS).toExtend<WebSocketConstructor>();
  });

  it('takes the native constructor and a test double class', () => {
    expectTypeOf(globalThis.WebSocket).toExtend<WebSocketConstructor>();
    const socket = new Socket(url, { WebSocket: FakeWebSocket, autoConnect: false });
    socket.dispose();
  });

  it('rejects what is not a WebSocket constructor', () => {
    class NotASocket {
      constructor(readonly url: string) {}
    }
    const arrow = (url: string) => new WS(url);
    // @ts-expect-error a string
    expect(() => new Socket(url, { WebSocket: 'ws', autoConnect: false })).toThrow(LifelineError);
    expectTypeOf(arrow).not.toExtend<WebSocketConstructor>();
    expectTypeOf(NotASocket).not.toExtend<WebSocketConstructor>();
    expectTypeOf(Date).not.toExtend<WebSocketConstructor>();
    // An instance, not its class.
    expectTypeOf(new FakeWebSocket(url)).not.toExtend<WebSocketConstructor>();
  });
});
