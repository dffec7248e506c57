import { describe, expect, it } from 'vitest';

/** The shape of the untyped browser module (web/stream-tally.js). */
interface StreamTally {
  deliver(epoch: string, seq: unknown): void;
  snapshot(): Record<string, unknown>;
}
const { createStreamTally } = (await import(/* @vite-ignore */ './stream-tally.js' as string)) as {
  createStreamTally: () => StreamTally;
};

const deliverAll = (pairs: Array<[string, string]>) => {
  const tally = createStreamTally();
  for (const [epoch, seq] of pairs) tally.deliver(epoch, seq);
  return tally.snapshot();
};

describe('stream tally', () => {
  it('counts a contiguous run as received with nothing missed', () => {
    expect(
      deliverAll([
        ['e1', '5'],
        ['e1', '6'],
        ['e1', '7'],
      ]),
    ).toEqual({
      received: 3,
      missed: '0',
      repeated: 0,
      epochs: 1,
      epoch: 'e1',
      first: '5',
      last: '7',
    });
  });

  it('counts every seq skipped within an epoch as missed', () => {
    const snapshot = deliverAll([
      ['e1', '1'],
      ['e1', '2'],
      ['e1', '5'],
      ['e1', '6'],
      ['e1', '10'],
    ]);
    expect(snapshot).toMatchObject({ received: 5, missed: '5', first: '1', last: '10' });
  });

  it('counts a duplicate or an older seq as repeated, without moving on or missing anything', () => {
    const snapshot = deliverAll([
      ['e1', '3'],
      ['e1', '4'],
      ['e1', '4'],
      ['e1', '2'],
      ['e1', '5'],
    ]);
    expect(snapshot).toMatchObject({ received: 5, repeated: 2, missed: '0', last: '5' });
  });

  it('starts again at the first message of a new epoch (a resync is not a loss)', () => {
    const snapshot = deliverAll([
      ['e1', '40'],
      ['e1', '41'],
      ['e2', '1'],
      ['e2', '3'],
    ]);
    expect(snapshot).toMatchObject({ epochs: 2, epoch: 'e2', first: '1', last: '3', missed: '1' });
  });

  it('compares seqs beyond 2^53 exactly', () => {
    const snapshot = deliverAll([
      ['e1', '9007199254740993'],
      ['e1', '9007199254740994'],
      ['e1', '9007199254740997'],
    ]);
    expect(snapshot).toMatchObject({ missed: '2', last: '9007199254740997' });
  });

  it('compares by value, not as text ("10" after "9")', () => {
    expect(
      deliverAll([
        ['e1', '9'],
        ['e1', '10'],
      ]),
    ).toMatchObject({ missed: '0', repeated: 0 });
  });

  it.each([[7], ['07'], ['-1'], ['1.5'], [''], [undefined]])('refuses seq %j', (seq) => {
    const tally = createStreamTally();
    expect(() => tally.deliver('e1', seq)).toThrow(TypeError);
    expect(tally.snapshot().received).toBe(0);
  });
});
