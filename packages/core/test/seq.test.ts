// Seq arithmetic on decimal strings (DESIGN §8), checked against BigInt, far beyond 2^53.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSeq, follows, isSeq, nextSeq, previousSeq } from '../src/seq';

// Non-negative integers up to ~10^40, biased towards carries (runs of 9s and 0s).
const big = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 40n }),
  fc.bigInt({ min: 0n, max: 1000n }),
  fc.integer({ min: 1, max: 39 }).map((n) => 10n ** BigInt(n) - 1n),
  fc.integer({ min: 1, max: 39 }).map((n) => 10n ** BigInt(n)),
);
const sign = (n: number) => Math.sign(n);

describe('isSeq', () => {
  it.each([
    ['0', true],
    ['1', true],
    ['18446744073709551616', true],
    ['', false],
    ['01', false],
    ['-1', false],
    ['1.5', false],
    [' 1', false],
    ['1e3', false],
    [17, false],
    [undefined, false],
  ])('isSeq(%j) is %s', (value, expected) => {
    expect(isSeq(value)).toBe(expected);
  });
});

describe('table', () => {
  it.each([
    ['0', '1'],
    ['9', '10'],
    ['199', '200'],
    ['9007199254740991', '9007199254740992'],
    ['9007199254740992', '9007199254740993'], // 2^53 + 1 is not a double
    ['99999999999999999999', '100000000000000000000'],
  ])('nextSeq(%s) is %s, previousSeq back, and follows', (seq, next) => {
    expect(nextSeq(seq)).toBe(next);
    expect(previousSeq(next)).toBe(seq);
    expect(follows(seq, next)).toBe(true);
    expect(follows(next, seq)).toBe(false);
    expect(compareSeq(seq, next)).toBeLessThan(0);
  });

  it.each([
    ['5', '7'],
    ['5', '5'],
    ['19', '10'],
    ['19', '21'],
    ['9', '00'],
    ['99', '1000'],
    ['12', '23'],
  ])('follows(%s, %s) is false', (a, b) => {
    expect(follows(a, b)).toBe(false);
  });

  it('orders by length first: "9" < "10" although "9" > "10" as text', () => {
    expect(compareSeq('9', '10')).toBeLessThan(0);
    expect(compareSeq('10', '9')).toBeGreaterThan(0);
    expect(compareSeq('123', '123')).toBe(0);
  });
});

describe('against BigInt', () => {
  it('compareSeq orders like the numbers', () => {
    fc.assert(
      fc.property(big, big, (a, b) => {
        const expected = a < b ? -1 : a > b ? 1 : 0;
        expect(sign(compareSeq(String(a), String(b)))).toBe(expected);
      }),
    );
  });

  it('nextSeq is +1 and previousSeq is -1', () => {
    fc.assert(
      fc.property(big, (n) => {
        expect(nextSeq(String(n))).toBe(String(n + 1n));
        if (n > 0n) expect(previousSeq(String(n))).toBe(String(n - 1n));
      }),
    );
  });

  it('follows(a, b) exactly when b = a + 1', () => {
    fc.assert(
      fc.property(big, fc.oneof(big, fc.constant(undefined)), (a, other) => {
        const b = other ?? a + 1n;
        expect(follows(String(a), String(b))).toBe(b === a + 1n);
      }),
    );
  });
});
