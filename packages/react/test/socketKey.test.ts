import { describe, expect, it } from 'vitest';
import { functionMarkers, socketKey } from '../src/socketKey';

describe('socketKey', () => {
  it('matches equal options regardless of key order and undefined fields', () => {
    const a = socketKey('ws://h/ws', { heartbeat: { interval: 5, timeout: 2 }, queue: false });
    const b = socketKey('ws://h/ws', {
      queue: false,
      debug: undefined,
      heartbeat: { timeout: 2, interval: 5 },
    });
    expect(a).toBe(b);
  });

  it('treats missing options like an empty object and a URL object like its href', () => {
    expect(socketKey('ws://h/ws', undefined)).toBe(socketKey(new URL('ws://h/ws'), {}));
  });

  it('tells different URLs and different values apart', () => {
    const base = socketKey('ws://h/a', { requestTimeout: 1 });
    expect(socketKey('ws://h/b', { requestTimeout: 1 })).not.toBe(base);
    expect(socketKey('ws://h/a', { requestTimeout: 2 })).not.toBe(base);
    expect(socketKey('ws://h/a', { protocols: ['x', 'y'] })).not.toBe(
      socketKey('ws://h/a', { protocols: ['y', 'x'] }),
    );
  });

  it('keeps Infinity distinct from null, and the string "1" from the number 1', () => {
    expect(socketKey('u', { reconnect: { maxAttempts: Infinity } })).not.toBe(
      socketKey('u', { reconnect: { maxAttempts: null as unknown as number } }),
    );
    expect(socketKey('u', { x: 1 })).not.toBe(socketKey('u', { x: '1' }));
  });

  it('compares functions and constructors by identity', () => {
    const token = () => 'ws://h/ws';
    const sameSource = () => 'ws://h/ws';
    expect(socketKey(token, {})).toBe(socketKey(token, {}));
    expect(socketKey(token, {})).not.toBe(socketKey(sameSource, {}));

    class A {}
    class B {}
    expect(socketKey('u', { WebSocket: A })).toBe(socketKey('u', { WebSocket: A }));
    expect(socketKey('u', { WebSocket: A })).not.toBe(socketKey('u', { WebSocket: B }));
  });
});

describe('functionMarkers (one table per useSocket call)', () => {
  const closure = (token: string) => () => `ws://h/ws?t=${token}`;

  it('keeps the key for a new closure of the same source, as on a re-render', () => {
    const marker = functionMarkers();
    const options = (n: number) => ({ reconnect: { shouldReconnect: () => n > 0 } });
    expect(socketKey(closure('a'), options(1), marker)).toBe(
      socketKey(closure('b'), options(2), marker),
    );
  });

  it('changes the key when the function’s code changes', () => {
    const marker = functionMarkers();
    expect(socketKey(() => 'ws://h/a', {}, marker)).not.toBe(
      socketKey(() => 'ws://h/b', {}, marker),
    );
    expect(socketKey('u', { debug: () => 1 }, marker)).not.toBe(
      socketKey('u', { protocols: () => 1 } as never, marker),
    );
  });

  it('tells two calls’ inline closures apart, but matches one shared function object', () => {
    const [a, b] = [functionMarkers(), functionMarkers()];
    expect(socketKey(closure('x'), {}, a)).not.toBe(socketKey(closure('x'), {}, b));
    const shared = closure('x');
    const [c, d] = [functionMarkers(), functionMarkers()];
    expect(socketKey(shared, {}, c)).toBe(socketKey(shared, {}, d));
  });

  it('keys the WebSocket constructor by identity even with equal source', () => {
    const marker = functionMarkers();
    const make = () => class extends EventTarget {};
    expect(socketKey('u', { WebSocket: make() } as never, marker)).not.toBe(
      socketKey('u', { WebSocket: make() } as never, marker),
    );
  });
});
