import { describe, expect, it } from 'vitest';
import { FAULT_LIMITS, isSendableCloseCode, parseFault } from './faults';

describe('parseFault', () => {
  it.each([
    [{ kind: 'drop' }, { kind: 'drop' }],
    [{ kind: 'blackhole' }, { kind: 'blackhole' }],
    [{ kind: 'malformed' }, { kind: 'malformed' }],
    [{ kind: 'close' }, { kind: 'close', code: 1000, reason: '' }],
    [
      { kind: 'close', code: 4001, reason: 'bye' },
      { kind: 'close', code: 4001, reason: 'bye' },
    ],
    [
      { kind: 'restart', seconds: 2 },
      { kind: 'restart', seconds: 2 },
    ],
    [
      { kind: 'delay', ms: 0 },
      { kind: 'delay', ms: 0 },
    ],
    [
      { kind: 'flood', count: 5.7, size: 10 },
      { kind: 'flood', count: 5, size: 10 },
    ],
  ])('accepts %j', (input, expected) => {
    expect(parseFault(input)).toEqual(expected);
  });

  it.each([
    [null, /must be an object/],
    [{ kind: 'explode' }, /unknown fault kind "explode"/],
    [{ kind: 'close', code: 1006 }, /code 1006 cannot be sent/],
    [{ kind: 'close', code: 5000 }, /code must be a number from 1000 to 4999/],
    [{ kind: 'close', code: 1000, reason: 'é'.repeat(62) }, /at most 123 bytes/],
    [{ kind: 'restart', seconds: 61 }, /seconds must be a number from 0 to 60/],
    [{ kind: 'delay', ms: -1 }, /ms must be a number/],
    [{ kind: 'delay', ms: Number.NaN }, /ms must be a number/],
    [{ kind: 'flood', count: FAULT_LIMITS.floodCount + 1 }, /count must be a number/],
    [{ kind: 'flood', count: 10_000, size: 65_536 }, /count × size/],
  ])('rejects %j', (input, message) => {
    expect(() => parseFault(input)).toThrow(message);
  });
});

describe('isSendableCloseCode', () => {
  it.each([
    [1000, true],
    [1003, true],
    [1004, false],
    [1005, false],
    [1006, false],
    [1012, true],
    [1015, false],
    [2999, false],
    [3000, true],
    [4999, true],
    [4000.5, false],
  ])('%d → %s', (code, expected) => {
    expect(isSendableCloseCode(code)).toBe(expected);
  });
});
