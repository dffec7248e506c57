// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createOriginCheck, parseOrigin } from '../src/origin';

describe('createOriginCheck', () => {
  const check = createOriginCheck(['https://app.example.com', 'http://localhost:5173']);

  it('lets in clients without an Origin (not browsers)', () => {
    expect(check(undefined, 'api.example.com')).toBe(true);
  });

  it('lets in the server’s own host and listed origins', () => {
    expect(check('https://api.example.com', 'api.example.com')).toBe(true);
    expect(check('http://127.0.0.1:8080', '127.0.0.1:8080')).toBe(true);
    expect(check('https://api.example.com', 'API.example.com:443')).toBe(true); // default port
    expect(check('https://app.example.com', 'api.example.com')).toBe(true);
    expect(check('http://localhost:5173', '127.0.0.1:8080')).toBe(true);
  });

  it('refuses other sites, other ports, opaque and garbage origins', () => {
    expect(check('https://evil.example', 'api.example.com')).toBe(false);
    expect(check('http://127.0.0.1:9999', '127.0.0.1:8080')).toBe(false);
    expect(check('http://app.example.com', 'api.example.com')).toBe(false); // scheme differs
    expect(check('null', 'api.example.com')).toBe(false);
    expect(check('not a url', 'api.example.com')).toBe(false);
    expect(check('https://evil.example', undefined)).toBe(false);
  });

  it("'*' lets in every origin", () => {
    expect(createOriginCheck(['*'])('https://evil.example', 'x')).toBe(true);
  });

  it('says how to write an origin when an entry is not one', () => {
    expect(() => parseOrigin('https://app.example.com/path')).toThrow(
      /not an origin: write scheme/,
    );
    expect(() => createOriginCheck(['app.example.com'])).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });
});
