import { describe, expect, it } from 'vitest';
import { defaultShouldReconnect } from '../src/policy';

const clean = (code: number) => ({ code, reason: '', wasClean: true });

describe('defaultShouldReconnect (close-code table of DESIGN §2)', () => {
  it.each([1001, 1011, 1012, 1013, 1014])('reconnects after server code %i', (code) => {
    expect(defaultShouldReconnect(clean(code))).toBe(true);
  });

  it.each([1000, 1002, 1003, 1007, 1008, 1009, 1010, 4000, 4001, 4404, 4999])(
    'does not reconnect after code %i',
    (code) => {
      expect(defaultShouldReconnect(clean(code))).toBe(false);
    },
  );

  it.each([
    [1006, 'abnormal closure'],
    [1006, 'connect timeout'],
    [4000, 'heartbeat timeout'],
    [1000, 'unclean even with a normal code'],
  ])('reconnects after any unclean close (%i, %s)', (code, reason) => {
    expect(defaultShouldReconnect({ code, reason, wasClean: false })).toBe(true);
  });

  it.each([1005, 1015, 3000, 3999])(
    'reconnects after codes outside the fatal list (%i)',
    (code) => {
      expect(defaultShouldReconnect(clean(code))).toBe(true);
    },
  );
});
