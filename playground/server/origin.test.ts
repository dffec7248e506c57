import { createOriginCheck } from '@lifeline/server';
import { describe, expect, it } from 'vitest';
import { createHostCheck, ownOrigins, parseOriginList } from './origin';

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

const origins = [...ownOrigins('127.0.0.1', 8787), 'https://Tunnel.Example.net'];

describe('the origin policy of /ws (the package check with the playground list)', () => {
  const check = createOriginCheck(parseOriginList(origins.join(',')));

  it.each([
    [undefined, true],
    ['http://127.0.0.1:8787', true],
    ['http://localhost:8787', true],
    ['http://[::1]:8787', true],
    ['HTTP://LOCALHOST:8787', true],
    ['https://tunnel.example.net', true],
    ['http://127.0.0.1:8788', false],
    // Same host and port as the Host header: only this server listens there (package rule).
    ['https://127.0.0.1:8787', true],
    ['https://localhost:8787', false],
    ['http://localhost', false],
    ['https://evil.example', false],
    ['http://127.0.0.1.evil.example:8787', false],
    ['null', false],
    ['', false],
  ])('Origin %j → %s', (origin, allowed) => {
    expect(check(origin, '127.0.0.1:8787')).toBe(allowed);
  });
});

describe('createHostCheck', () => {
  const check = createHostCheck(parseOriginList(origins.join(',')));

  it.each([
    ['127.0.0.1:8787', true],
    ['localhost:8787', true],
    ['LOCALHOST:8787', true],
    ['[::1]:8787', true],
    ['tunnel.example.net', true],
    ['127.0.0.1:8788', false],
    // DNS rebinding: a hostile name pointed at 127.0.0.1 asks for its own host.
    ['rebound.evil.example:8787', false],
    ['', false],
    ['bad host', false],
    [undefined, false],
  ])('Host %j → %s', (host, allowed) => {
    expect(check(host)).toBe(allowed);
  });
});

describe('parseOriginList', () => {
  it('reads a comma-separated list, normalizing like browsers do', () => {
    expect(parseOriginList('http://a.test:1, HTTPS://B.test:443,')).toEqual([
      'http://a.test:1',
      'https://b.test',
    ]);
    expect(parseOriginList(' http://192.168.1.20:8787/ ')).toEqual(['http://192.168.1.20:8787']);
  });

  it('rejects an entry that is not an origin', () => {
    expect(() => parseOriginList('http://a.test/path')).toThrow(
      '"http://a.test/path" is not an origin: write scheme://host[:port]',
    );
    expect(() => parseOriginList('localhost:8787')).toThrow('is not an origin');
  });
});
