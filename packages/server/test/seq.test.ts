// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { compareSeq, isSeq, nextSeq } from '../src/seq';

describe('seq', () => {
  it.each([
    ['0', '1'],
    ['1', '2'],
    ['9', '10'],
    ['19', '20'],
    ['199', '200'],
    ['999', '1000'],
    ['1099', '1100'],
    ['9007199254740991', '9007199254740992'],
    ['9007199254740992', '9007199254740993'], // past Number.MAX_SAFE_INTEGER: a number would stick
    ['99999999999999999999999', '100000000000000000000000'],
  ])('nextSeq(%s) is %s', (seq, next) => {
    expect(nextSeq(seq)).toBe(next);
    expect(BigInt(nextSeq(seq))).toBe(BigInt(seq) + 1n);
  });

  it.each([
    ['1', '2', -1],
    ['9', '10', -1],
    ['10', '9', 1],
    ['123', '123', 0],
    ['100', '99', 1],
    ['18446744073709551616', '18446744073709551615', 1],
  ])('compareSeq(%s, %s) has the sign %i', (a, b, sign) => {
    expect(Math.sign(compareSeq(a, b))).toBe(sign);
  });

  it('orders like BigInt over many pairs', () => {
    const values = [
      '0',
      '1',
      '2',
      '9',
      '10',
      '11',
      '99',
      '100',
      '101',
      '999',
      '1000',
      '12345678901234567890',
    ];
    for (const a of values) {
      for (const b of values) {
        const expected = BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
        expect(Math.sign(compareSeq(a, b)), `${a} vs ${b}`).toBe(expected);
      }
    }
  });

  it('accepts only decimal strings without leading zeros', () => {
    for (const good of ['0', '1', '10', '18446744073709551616'])
      expect(isSeq(good), good).toBe(true);
    for (const bad of ['', '01', '-1', '1.5', '1e3', ' 1', '0x10', 1, null, undefined, '١']) {
      expect(isSeq(bad), String(bad)).toBe(false);
    }
  });
});
