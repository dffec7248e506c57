// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, describeError, parseJson } from '../src/envelope';

describe('decodeEnvelope', () => {
  it('reads events and requests', () => {
    expect(decodeEnvelope('{"type":"chat","data":{"a":1}}')).toEqual({
      type: 'chat',
      data: { a: 1 },
    });
    expect(decodeEnvelope('{"type":"sum","id":"k1","data":2}')).toEqual({
      type: 'sum',
      id: 'k1',
      data: 2,
    });
  });

  it.each([
    ['not JSON', 'hello'],
    ['an array', '[{"type":"x"}]'],
    ['null', 'null'],
    ['a number', '42'],
    ['no type', '{"data":1}'],
    ['an empty type', '{"type":""}'],
    ['a numeric type', '{"type":1}'],
    ['a numeric id', '{"type":"x","id":1}'],
    ['an empty id', '{"type":"x","id":""}'],
    ['an oversized id', JSON.stringify({ type: 'x', id: 'i'.repeat(257) })],
    ['a type only via __proto__', '{"__proto__":{"type":"x"}}'],
  ])('is undefined for %s', (_name, text) => {
    expect(decodeEnvelope(text)).toBeUndefined();
  });

  it('drops __proto__, constructor and prototype keys at every depth', () => {
    const value = parseJson(
      '{"type":"x","data":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"deep":[{"__proto__":{"polluted":1},"ok":1}]}}',
    ) as { data: Record<string, unknown> };
    expect(value.data).toEqual({ deep: [{ ok: 1 }] });
    expect(Object.keys(value.data)).toEqual(['deep']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('describeError', () => {
  it('takes message and a string code; anything else has no code', () => {
    expect(describeError(Object.assign(new Error('no'), { code: 'NOPE' }))).toEqual({
      message: 'no',
      code: 'NOPE',
    });
    expect(describeError(Object.assign(new Error('x'), { code: 5 }))).toEqual({
      message: 'x',
      code: undefined,
    });
    expect(describeError('plain')).toEqual({ message: 'plain', code: undefined });
    expect(describeError(null)).toEqual({ message: 'Request failed', code: undefined });
  });
});
