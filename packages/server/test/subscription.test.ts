// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { StreamMessage } from '../src/store';
import { encodeStreamMessage, StreamSubscription } from '../src/subscription';

const message = (seq: number, epoch = 'e1'): StreamMessage => ({
  stream: 's',
  type: 'tick',
  epoch,
  seq: String(seq),
  data: seq,
});

function subscription() {
  const sent: string[] = [];
  const sub = new StreamSubscription('s', (text) => sent.push(JSON.parse(String(text)).seq));
  const offer = (m: StreamMessage) => sub.offer(m, encodeStreamMessage(m));
  return { sub, sent, offer };
}

describe('StreamSubscription', () => {
  it('buffers while pending, then sends replay and buffer once each, in order', () => {
    const { sub, sent, offer } = subscription();
    offer(message(4)); // appended after registration, also in the read below
    offer(message(5));
    offer(message(6)); // appended after the read
    expect(sent).toEqual([]);
    sub.start({
      epoch: 'e1',
      head: '5',
      recovered: true,
      messages: [2, 3, 4, 5].map((n) => message(n)),
    });
    expect(sent).toEqual(['2', '3', '4', '5', '6']);
    offer(message(7));
    offer(message(6)); // a duplicate from the store is never sent twice
    expect(sent).toEqual(['2', '3', '4', '5', '6', '7']);
  });

  it('without a replay starts after the head', () => {
    const { sub, sent, offer } = subscription();
    offer(message(10));
    offer(message(11));
    sub.start({ epoch: 'e1', head: '10', recovered: false, messages: [] });
    expect(sent).toEqual(['11']);
  });

  it('follows a new epoch from its own seqs', () => {
    const { sub, sent, offer } = subscription();
    sub.start({ epoch: 'e1', head: '10', recovered: true, messages: [] });
    offer(message(1, 'e2'));
    offer(message(2, 'e2'));
    expect(sent).toEqual(['1', '2']);
  });

  it('encodes the wire shape of a stream message', () => {
    expect(JSON.parse(encodeStreamMessage(message(3)))).toEqual({
      type: 'tick',
      stream: 's',
      epoch: 'e1',
      seq: '3',
      data: 3,
    });
  });
});
