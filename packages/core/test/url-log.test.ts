import { afterEach, describe, expect, it, vi } from 'vitest';
import { LifelineError } from '../src/errors';
import { createLogger, type LogRecord, redact } from '../src/log';
import { resolveUrl } from '../src/url';

describe('resolveUrl', () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each([
    ['ws://example.com/ws', 'ws://example.com/ws'],
    ['wss://example.com:8443/a?b=1', 'wss://example.com:8443/a?b=1'],
    ['http://example.com/ws', 'ws://example.com/ws'],
    ['https://example.com/ws', 'wss://example.com/ws'],
    ['wss://example.com/ws#fragment', 'wss://example.com/ws'],
  ])('maps %s to %s', (input, expected) => {
    expect(resolveUrl(input)).toBe(expected);
    expect(resolveUrl(new URL(input))).toBe(expected);
  });

  it('resolves relative URLs against the page and maps https to wss', () => {
    vi.stubGlobal('location', new URL('https://app.example.com/chat/room'));
    expect(resolveUrl('/ws')).toBe('wss://app.example.com/ws');
    expect(resolveUrl('live')).toBe('wss://app.example.com/chat/live');
    vi.stubGlobal('location', new URL('http://localhost:5173/'));
    expect(resolveUrl('/ws?x=1')).toBe('ws://localhost:5173/ws?x=1');
  });

  it.each(['ftp://example.com/', 'not a url', 'mailto:a@b.c', ''])(
    'rejects %j with ERR_INVALID_URL',
    (input) => {
      vi.stubGlobal('location', undefined);
      try {
        resolveUrl(input);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(LifelineError);
        expect((error as LifelineError).code).toBe('ERR_INVALID_URL');
      }
    },
  );
});

describe('redaction and logging', () => {
  it.each([
    ['wss://h/ws?token=abc.def&room=1', 'wss://h/ws?token=[redacted]&room=1'],
    ['wss://h/ws?room=1&access_token=xyz', 'wss://h/ws?room=1&access_token=[redacted]'],
    ['wss://h/ws?apiKey=k1&auth=s3', 'wss://h/ws?apiKey=[redacted]&auth=[redacted]'],
    ['wss://user:hunter2@h/ws', 'wss://[redacted]@h/ws'],
    ['wss://h/ws?room=1', 'wss://h/ws?room=1'],
  ])('redacts %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('a function sink receives redacted records; off means nothing is logged', () => {
    const records: LogRecord[] = [];
    createLogger((r) => records.push(r))({
      event: 'connecting',
      url: 'wss://h/?token=SECRET',
      attempt: 2,
    });
    expect(records).toEqual([
      { event: 'connecting', url: 'wss://h/?token=[redacted]', attempt: 2 },
    ]);
    expect(JSON.stringify(records)).not.toContain('SECRET');

    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    createLogger(false)({ event: 'x' });
    expect(debug).not.toHaveBeenCalled();
    createLogger(true)({ event: 'x', url: 'wss://h/?jwt=SECRET' });
    expect(debug).toHaveBeenCalledWith('[lifeline]', {
      event: 'x',
      url: 'wss://h/?jwt=[redacted]',
    });
    debug.mockRestore();
  });
});
