import { describe, expect, it } from 'vitest';
import { socketKey } from '../src/socketKey';

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
