import { describe, expect, it } from 'vitest';
import {
  createOriginCheck,
  normalizeOrigin,
  ownOrigins,
  parseOrigin,
  parseOriginList,
} from './origin';

describe('ownOrigins', () => {
  it('lists the loopback names a page of this server can be opened under', () => {
    expect(ownOrigins('127.0.0.1', 8787)).toEqual([
      'http://127.0.0.1:8787',
      'http://localhost:8787',
      'http://[::1]:8787',
    ]);
  });

  it('adds a specific host it listens on, but not a wildcard address', () => {
    expect(ownOrigins('192.168.1.20', 9000)).toContain('http://192.168.1.20:9000');
    expect(ownOrigins('::1', 9000)).toHaveLength(3);
    expect(ownOrigins('0.0.0.0', 9000)).toHaveLength(3);
    expect(ownOrigins('::', 9000)).toHaveLength(3);
  });
});

describe('createOriginCheck', () => {
  const check = createOriginCheck([...ownOrigins('127.0.0.1', 8787), 'https://Tunnel.Example.net']);

  it.each([
    [undefined, true],
    ['http://127.0.0.1:8787', true],
    ['http://localhost:8787', true],
    ['http://[::1]:8787', true],
    ['HTTP://LOCALHOST:8787', true],
    ['https://tunnel.example.net', true],
    ['http://127.0.0.1:8788', false],
    ['https://127.0.0.1:8787', false],
    ['http://localhost', false],
    ['https://evil.example', false],
    ['http://127.0.0.1.evil.example:8787', false],
    ['null', false],
    ['', false],
  ])('Origin %j → %s', (origin, allowed) => {
    expect(check(origin)).toBe(allowed);
  });
});

describe('parsing origins', () => {
  it('normalizes case and default ports like browsers do', () => {
    expect(normalizeOrigin('HTTP://Example.NET:80')).toBe('http://example.net');
    expect(normalizeOrigin('file:///tmp/page.html')).toBeUndefined();
    expect(parseOrigin(' http://192.168.1.20:8787/ ')).toBe('http://192.168.1.20:8787');
  });

  it('reads a comma-separated list and rejects an entry that is not an origin', () => {
    expect(parseOriginList('http://a.test:1, https://b.test,')).toEqual([
      'http://a.test:1',
      'https://b.test',
    ]);
    expect(() => parseOriginList('http://a.test/path')).toThrow(
      '"http://a.test/path" is not an origin: write scheme://host[:port]',
    );
    expect(() => parseOrigin('localhost:8787')).toThrow('is not an origin');
  });
});
