import { describe, expect, it } from 'vitest';
import { answerEvent, PlaygroundError, sum } from './protocol';

describe('sum', () => {
  it('sums { a, b } and arrays', () => {
    expect(sum({ a: 2, b: 40 })).toBe(42);
    expect(sum([1.5, 2.5, -1])).toBe(3);
    expect(sum([])).toBe(0);
  });

  it.each([
    [{ a: 1, b: 'x' }, /sum needs finite numbers, got "x"/],
    [[1, Number.POSITIVE_INFINITY], /finite numbers/],
    ['12', /sum takes \{ a, b \}/],
    [new Array(10_001).fill(1), /at most 10000/],
  ])('refuses %j with ERR_BAD_REQUEST', (data, message) => {
    expect(() => sum(data)).toThrow(message);
    expect(() => sum(data)).toThrow(expect.objectContaining({ code: 'ERR_BAD_REQUEST' }));
  });

  it('throws an error whose code the server puts in the error reply', () => {
    const error = new PlaygroundError('ERR_BUSY', 'busy');
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.code, error.message]).toEqual([
      'PlaygroundError',
      'ERR_BUSY',
      'busy',
    ]);
  });
});

describe('answerEvent', () => {
  it('echoes an echo event and sums a sum event', () => {
    expect(answerEvent('echo', 'hi')).toEqual({ type: 'echo', data: 'hi' });
    expect(answerEvent('sum', [1, 2])).toEqual({ type: 'sum', data: 3 });
  });

  it('answers a bad sum event with an error event naming the type', () => {
    expect(answerEvent('sum', { a: 1 })).toEqual({
      type: 'error',
      data: {
        message: 'sum needs finite numbers, got undefined',
        code: 'ERR_BAD_REQUEST',
        type: 'sum',
      },
    });
  });

  it('ignores other event types', () => {
    expect(answerEvent('launch', {})).toBeUndefined();
  });
});
