// DESIGN §1: importing the core in Node or during server-side rendering must not touch
// `window`, `document`, `navigator`, `location` or `WebSocket`.
import { afterEach, describe, expect, it, vi } from 'vitest';

const GLOBALS = ['window', 'document', 'navigator', 'location', 'WebSocket'] as const;

afterEach(() => {
  for (const name of GLOBALS) delete (globalThis as Record<string, unknown>)[name];
  vi.resetModules();
});

describe('importing @lifeline/core', () => {
  it('reads no browser global', async () => {
    const touched: string[] = [];
    for (const name of GLOBALS)
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get: () => {
          touched.push(name);
          return undefined;
        },
      });
    const core = await import('../src/index');
    expect(typeof core.Socket).toBe('function');
    expect(touched).toEqual([]);
    // Constructing an idle socket with an explicit constructor is server-safe too.
    const socket = new core.Socket('wss://example.test/ws', {
      autoConnect: false,
      WebSocket: class {} as never,
    });
    expect(socket.status).toBe('idle');
    expect(touched.filter((name) => name !== 'location')).toEqual([]);
    socket.dispose();
  });
});
