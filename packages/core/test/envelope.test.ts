import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, toEnvelope } from '../src/envelope';

describe('envelope codec', () => {
  it.each([
    [{ type: 'chat', data: { text: 'hi' } }],
    [{ type: 'sum', id: 'abc-1', data: { a: 1, b: 2 } }],
    [{ type: 'sum', re: 'abc-1', data: 3 }],
    [{ type: 'sum', re: 'abc-1', error: { message: 'bad input', code: 'E_INPUT' } }],
    [{ type: 'ping' }],
  ])('round-trips %j', (envelope) => {
    expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual(envelope);
  });

  it.each([
    'hello',
    '',
    '[1,2]',
    '{"data":1}',
    '{"type":""}',
    '{"type":5}',
    '{"type":"x","id":7}',
    '{"type":"x","re":{}}',
    '{"type":"x"',
    ' {"type":"x"}',
    'null',
  ])('%j is not an envelope', (text) => {
    expect(decodeEnvelope(text)).toBeUndefined();
  });

  it('ignores binary data and non-strings', () => {
    expect(decodeEnvelope(new ArrayBuffer(4))).toBeUndefined();
    expect(decodeEnvelope(undefined)).toBeUndefined();
    expect(decodeEnvelope({ type: 'x' })).toBeUndefined();
  });

  it('keeps only known fields and normalises malformed error objects', () => {
    expect(decodeEnvelope('{"type":"x","extra":1,"data":null}')).toEqual({ type: 'x', data: null });
    expect(toEnvelope({ type: 'x', re: '1', error: {} })).toEqual({
      type: 'x',
      re: '1',
      error: { message: 'Remote error' },
    });
  });

  it('treats only a non-null object as an error (serializers write "error": null on success)', () => {
    for (const error of ['null', 'false', '0', '""', '"boom"'])
      expect(decodeEnvelope(`{"type":"x","re":"1","data":3,"error":${error}}`)).toEqual({
        type: 'x',
        re: '1',
        data: 3,
      });
  });

  it('decodes deeply nested JSON with escapes instead of dropping it', () => {
    const depth = 20000;
    const frame = `{"type":"x","re":"1","data":${'['.repeat(depth)}"\\u00e9"${']'.repeat(depth)}}`;
    const envelope = decodeEnvelope(frame);
    expect(envelope?.re).toBe('1');
    let value = envelope!.data;
    for (let i = 0; i < depth; i++) value = (value as unknown[])[0];
    expect(value).toBe('é');
  });

  it('strips __proto__, constructor and prototype keys at any depth', () => {
    const envelope = decodeEnvelope(
      '{"type":"x","data":{"__proto__":{"polluted":1},"a":{"constructor":{"prototype":{"polluted":2}},"ok":true}}}',
    );
    expect(envelope).toEqual({ type: 'x', data: { a: { ok: true } } });
    const data = envelope!.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.hasOwn(data, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('strips hostile keys spelled with JSON escapes (regression)', () => {
    for (const key of [
      '\\u005f_proto__',
      '__pro\\u0074o__',
      'constructo\\u0072',
      '\\u0070rototype',
    ]) {
      const envelope = decodeEnvelope(`{"type":"x","data":{"${key}":{"polluted":true},"ok":1}}`);
      expect(envelope).toEqual({ type: 'x', data: { ok: 1 } });
    }
    expect(decodeEnvelope('{"type":"caf\\u00e9"}')).toEqual({ type: 'café' });
  });

  it('survives a very deeply nested frame without throwing', () => {
    const deep = `{"type":"x","data":${'['.repeat(100000)}${']'.repeat(100000)},"constructor":1}`;
    expect(() => decodeEnvelope(deep)).not.toThrow();
    const huge = JSON.stringify({ type: 'big', data: 'x'.repeat(5_000_000) });
    expect(decodeEnvelope(huge)?.type).toBe('big');
  });
});

describe('envelope decoder fuzzing', () => {
  const hostileKey = fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'valueOf',
  );
  const hostileJson = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue(),
      fc.dictionary(fc.oneof(hostileKey, fc.string()), tie('value'), { maxKeys: 4 }),
      fc.array(tie('value'), { maxLength: 3 }),
    ),
  })).value;

  const assertClean = () => {
    const probe = {} as Record<string, unknown>;
    expect(probe.polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.keys(Object.prototype)).toEqual([]);
  };

  it('never throws on random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        // A throw fails the property; the result must be an envelope or undefined.
        for (const frame of [text, `{${text}`, `{"type":${text}}`]) {
          const envelope = decodeEnvelope(frame);
          if (envelope !== undefined && typeof envelope.type !== 'string') return false;
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  }, 30_000);

  it('never throws or pollutes on random hostile JSON, and returns only own, safe keys', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        hostileJson,
        fc.option(fc.string()),
        (type, data, id) => {
          // JSON.stringify cannot emit a "__proto__" key, so rename harmless keys into it.
          const text = JSON.stringify({ type, data, ...(id === null ? {} : { id }) }).replace(
            /"(toString|valueOf)":/g,
            '"__proto__":',
          );
          const envelope = decodeEnvelope(text);
          expect(envelope?.type).toBe(type);
          const walk = (value: unknown): void => {
            if (typeof value !== 'object' || value === null) return;
            for (const key of Object.keys(value)) {
              expect(['__proto__', 'constructor', 'prototype']).not.toContain(key);
              walk((value as Record<string, unknown>)[key]);
            }
          };
          walk(envelope);
          assertClean();
        },
      ),
      { numRuns: 1000 },
    );
  }, 30_000);
});
