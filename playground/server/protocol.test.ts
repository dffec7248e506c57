import { describe, expect, it } from 'vitest';
import { parseEnvelope, respond, sum } from './protocol';

describe('parseEnvelope', () => {
  it.each([
    ['not json', 'hello'],
    ['an array', '[1,2]'],
    ['a string', '"x"'],
    ['no type', '{"data":1}'],
    ['an empty type', '{"type":""}'],
    ['a numeric id', '{"type":"echo","id":1}'],
  ])('rejects %s', (_name, text) => {
    expect(parseEnvelope(text)).toBeUndefined();
  });

  it('keeps type, id and data and nothing else', () => {
    expect(parseEnvelope('{"type":"echo","id":"7","data":{"x":1},"extra":true}')).toEqual({
      type: 'echo',
      id: '7',
      data: { x: 1 },
    });
  });
});

describe('respond', () => {
  it('echoes a request with re and the same data', () => {
    expect(respond({ type: 'echo', id: 'a', data: [1, 'two'] })).toEqual({
      type: 'echo',
      re: 'a',
      data: [1, 'two'],
    });
  });

  it('echoes an event as an event', () => {
    expect(respond({ type: 'echo', data: 'hi' })).toEqual({ type: 'echo', data: 'hi' });
  });

  it('sums { a, b } and arrays', () => {
    expect(respond({ type: 'sum', id: '1', data: { a: 2, b: 40 } })).toEqual({
      type: 'sum',
      re: '1',
      data: 42,
    });
    expect(sum([1.5, 2.5, -1])).toBe(3);
    expect(sum([])).toBe(0);
  });

  it('answers a bad sum with an ERR_BAD_REQUEST error reply', () => {
    expect(respond({ type: 'sum', id: '2', data: { a: 1, b: 'x' } })).toMatchObject({
      type: 'sum',
      re: '2',
      error: { code: 'ERR_BAD_REQUEST' },
    });
    expect(() => sum(new Array(10_001).fill(1))).toThrow(/at most 10000/);
  });

  it('answers a ping event with a pong event', () => {
    expect(respond({ type: 'ping' })).toEqual({ type: 'pong' });
  });

  it('answers an unknown request with ERR_UNKNOWN_TYPE and ignores an unknown event', () => {
    expect(respond({ type: 'launch', id: '9' })).toEqual({
      type: 'launch',
      re: '9',
      error: { message: 'unknown request type "launch"', code: 'ERR_UNKNOWN_TYPE' },
    });
    expect(respond({ type: 'launch' })).toBeUndefined();
  });
});
