// @vitest-environment node
import { createServer as createHttpServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../src/memory-store';
import { resolveOptions, type ServerOptions } from '../src/options';

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveOptions({ port: 0 });
    expect(resolved).toMatchObject({
      host: '127.0.0.1',
      path: '/ws',
      allowOrigins: [],
      maxPayload: 1024 * 1024,
      dedupeWindow: 120_000,
      pingInterval: 30_000,
      closeTimeout: 5000,
      ownsStore: true,
    });
  });

  it('uses a given store and server without owning the store', () => {
    const store = memoryStore();
    const server = createHttpServer();
    const resolved = resolveOptions({ server, store });
    expect(resolved.store).toBe(store);
    expect(resolved.ownsStore).toBe(false);
  });

  it.each<[string, unknown, RegExp]>([
    ['neither server nor port', {}, /give `server`/],
    ['both server and port', { port: 1, server: createHttpServer() }, /not both/],
    ['a bad port', { port: 70000 }, /port must be an integer/],
    ['a relative path', { port: 0, path: 'ws' }, /path must start with "\/"/],
    ['a path with a query', { port: 0, path: '/ws?x=1' }, /no query/],
    ['a bad origin', { port: 0, allowOrigins: ['example.com'] }, /not an origin/],
    ['a negative maxPayload', { port: 0, maxPayload: -1 }, /maxPayload/],
    ['a fractional maxPayload', { port: 0, maxPayload: 1.5 }, /maxPayload/],
    ['a NaN dedupeWindow', { port: 0, dedupeWindow: Number.NaN }, /dedupeWindow/],
    [
      'a string pingInterval',
      { port: 0, pingInterval: '5' },
      /pingInterval must be a finite number/,
    ],
    ['a store without readSince', { port: 0, store: { append() {} } }, /missing head\(\)/],
    ['a non-function authorize', { port: 0, authorize: true }, /authorize must be a function/],
  ])('throws ERR_INVALID_OPTION for %s', (_name, options, message) => {
    expect(() => resolveOptions(options as ServerOptions)).toThrow(message);
    expect(() => resolveOptions(options as ServerOptions)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });
});
