import { describe, expect, it } from 'vitest';
import { LifelineError } from '../src/errors';
import { byteLength, Outbox, type OutboxLimits, type QueuedMessage } from '../src/queue';

const limits = (over: Partial<OutboxLimits> = {}): OutboxLimits => ({
  maxMessages: 3,
  maxBytes: 1000,
  maxAge: Number.POSITIVE_INFINITY,
  overflow: 'drop-oldest',
  ...over,
});
const msg = (data: string, at = 0): QueuedMessage => ({ data, bytes: byteLength(data), at });

function setup(over: Partial<OutboxLimits> = {}) {
  const drops: Array<[unknown, string]> = [];
  const outbox = new Outbox(limits(over), (m, reason) => drops.push([m.data, reason]));
  const drain = (now = 0) => {
    const out: unknown[] = [];
    for (let m = outbox.take(now); m; m = outbox.take(now)) out.push(m.data);
    return out;
  };
  return { outbox, drops, drain };
}

describe('byteLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['a😀b€', 9],
  ])('counts UTF-8 bytes of %j as %i', (text, bytes) => {
    expect(byteLength(text)).toBe(bytes);
    expect(byteLength(text)).toBe(new TextEncoder().encode(text).length);
  });

  it('counts binary lengths', () => {
    expect(byteLength(new ArrayBuffer(7))).toBe(7);
    expect(byteLength(new Uint16Array(4))).toBe(8);
    expect(byteLength(new Blob(['12345']))).toBe(5);
  });
});

describe('Outbox', () => {
  it('keeps order and tracks size and bytes', () => {
    const { outbox, drain } = setup();
    expect(outbox.push(msg('a'))).toBe('queued');
    expect(outbox.push(msg('bb'))).toBe('queued');
    expect(outbox.size).toBe(2);
    expect(outbox.bytes).toBe(3);
    expect(drain()).toEqual(['a', 'bb']);
    expect(outbox.size).toBe(0);
    expect(outbox.bytes).toBe(0);
  });

  it('drop-oldest: evicts the oldest and reports it as overflow', () => {
    const { outbox, drops, drain } = setup();
    for (const d of ['1', '2', '3', '4', '5']) expect(outbox.push(msg(d))).toBe('queued');
    expect(drops).toEqual([
      ['1', 'overflow'],
      ['2', 'overflow'],
    ]);
    expect(drain()).toEqual(['3', '4', '5']);
  });

  it('drop-newest: refuses the new message and reports it', () => {
    const { outbox, drops, drain } = setup({ overflow: 'drop-newest' });
    for (const d of ['1', '2', '3']) outbox.push(msg(d));
    expect(outbox.push(msg('4'))).toBe('dropped');
    expect(drops).toEqual([['4', 'overflow']]);
    expect(drain()).toEqual(['1', '2', '3']);
  });

  it('error: throws ERR_QUEUE_FULL and keeps the queue intact', () => {
    const { outbox, drops } = setup({ overflow: 'error' });
    for (const d of ['1', '2', '3']) outbox.push(msg(d));
    const error = (() => {
      try {
        outbox.push(msg('4'));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(LifelineError);
    expect((error as LifelineError).code).toBe('ERR_QUEUE_FULL');
    expect(drops).toEqual([]);
    expect(outbox.size).toBe(3);
  });

  it('limits by bytes as well as by count', () => {
    const { outbox, drops, drain } = setup({ maxMessages: 100, maxBytes: 10 });
    outbox.push(msg('aaaa'));
    outbox.push(msg('bbbb'));
    outbox.push(msg('cccc')); // 12 bytes > 10: the oldest goes
    expect(drops).toEqual([['aaaa', 'overflow']]);
    expect(outbox.bytes).toBe(8);
    expect(drain()).toEqual(['bbbb', 'cccc']);
  });

  it('drops a single message larger than maxBytes itself, not the whole queue', () => {
    const { outbox, drops, drain } = setup({ maxMessages: 100, maxBytes: 10 });
    outbox.push(msg('small'));
    expect(outbox.push(msg('x'.repeat(11)))).toBe('dropped');
    // Only the oversize message goes: it could never fit, so evicting the others would not help.
    expect(drops).toEqual([['x'.repeat(11), 'overflow']]);
    expect(drain()).toEqual(['small']);
  });

  it('drops messages older than maxAge when they are taken, as expired', () => {
    const { outbox, drops, drain } = setup({ maxAge: 100 });
    outbox.push(msg('old', 0));
    outbox.push(msg('fresh', 950));
    expect(drain(1000)).toEqual(['fresh']);
    expect(drops).toEqual([['old', 'expired']]);
  });

  it('tells each dropped message why, and clear() empties silently', () => {
    const { outbox, drops } = setup();
    const reasons: string[] = [];
    outbox.push({ ...msg('a'), onDrop: (r) => reasons.push(r) });
    outbox.push(msg('b'));
    outbox.push(msg('c'));
    outbox.push(msg('d'));
    expect(reasons).toEqual(['overflow']);
    expect(outbox.clear().map((m) => m.data)).toEqual(['b', 'c', 'd']);
    expect(outbox.size).toBe(0);
    expect(drops).toHaveLength(1);
  });
});
