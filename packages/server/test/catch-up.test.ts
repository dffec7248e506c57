// ServedStreams: how far a redisStore node relayed each stream it serves, which its catch-up
// reads back from after a lost fan-out connection.
import { describe, expect, it } from 'vitest';
import { ServedStreams } from '../src/redis/catch-up';
import type { StreamMessage } from '../src/store';

const message = (stream: string, epoch: string, seq: string): StreamMessage => ({
  stream,
  type: 'tick',
  epoch,
  seq,
  data: undefined,
});

describe('ServedStreams', () => {
  it('tracks only streams read for a subscriber, moving forward with each relayed message', () => {
    const served = new ServedStreams();
    served.relay(message('other', 'e', '5'));
    served.serve('feed', { epoch: 'e', seq: '2' });
    served.relay(message('feed', 'e', '3'));
    served.relay(message('feed', 'e', '10'));
    served.relay(message('feed', 'e', '9')); // a late copy: never moves it back
    expect(served.positions()).toEqual([['feed', { epoch: 'e', seq: '10' }]]);
  });

  it('keeps the relayed position when another subscriber reads further ahead in the same epoch', () => {
    const served = new ServedStreams();
    served.serve('feed', { epoch: 'e', seq: '4' });
    // Messages 5…8 may still be on their way to this node: catching up from 8 would skip them.
    served.serve('feed', { epoch: 'e', seq: '8' });
    expect(served.positions()).toEqual([['feed', { epoch: 'e', seq: '4' }]]);
  });

  it('starts over in a new epoch, from a read or from a relayed message', () => {
    const served = new ServedStreams();
    served.serve('a', { epoch: 'old', seq: '40' });
    served.serve('a', { epoch: 'new', seq: '0' });
    served.serve('b', { epoch: 'old', seq: '40' });
    served.relay(message('b', 'new', '1'));
    expect(Object.fromEntries(served.positions())).toEqual({
      a: { epoch: 'new', seq: '0' },
      b: { epoch: 'new', seq: '1' },
    });
  });

  it('forgets the least recently touched stream beyond its limit', () => {
    const served = new ServedStreams(2);
    served.serve('a', { epoch: 'e', seq: '1' });
    served.serve('b', { epoch: 'e', seq: '1' });
    served.relay(message('a', 'e', '2')); // a is now the most recent
    served.serve('c', { epoch: 'e', seq: '1' });
    expect(served.positions().map(([stream]) => stream)).toEqual(['a', 'c']);
  });
});
