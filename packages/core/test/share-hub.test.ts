// The leader tab's hub with a fake WebSocket: routing by request id and stream, ref-counted
// subscriptions, how transports open and close with the real connection, and how the
// transports of a tab that died are forgotten.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BEACON_MS, createHub, type Hub } from '../src/share/hub';
import type { ShareMessage } from '../src/share/protocol';
import { FakeWebSocket, FakeWS } from './support/fake-websocket';

let posted: ShareMessage[];
let hub: Hub;
const TERM = 7;

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
  posted = [];
  hub = createHub(TERM, (m) => posted.push(m), FakeWS);
});
afterEach(() => {
  hub._stop();
  vi.useRealTimers();
});

const attach = (t: string) => hub._receive({ k: 'a', n: TERM, t, u: 'ws://x/ws' });
const frame = (t: string, d: unknown) =>
  hub._receive({ k: 'f', n: TERM, t, d: typeof d === 'string' ? d : JSON.stringify(d) });
const of = (k: string) => posted.filter((m) => m.k === k);
const last = () => posted.at(-1)!;

/** Two transports attached and open on one real connection. */
function openTwo(): FakeWebSocket {
  attach('a.1');
  attach('b.1');
  const ws = FakeWebSocket.last;
  ws.open();
  return ws;
}

describe('Hub', () => {
  it('beacons at once and every second; stop ends the beacon', () => {
    expect(of('b')).toHaveLength(1);
    vi.advanceTimersByTime(3000);
    expect(of('b')).toHaveLength(4);
    expect(posted.every((m) => m.n === TERM)).toBe(true);
    hub._stop();
    vi.advanceTimersByTime(3000);
    expect(of('b')).toHaveLength(4);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('opens one real connection for every transport and tells them when it opens', () => {
    const ws = openTwo();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(ws.url).toBe('ws://x/ws');
    expect(of('o').at(-1)!.to).toEqual(['a.1', 'b.1']);
    attach('c.1'); // already open: told at once
    expect(last()).toMatchObject({ k: 'o', to: ['c.1'] });
  });

  it('forwards frames, and routes a reply only to the transport that sent its request', () => {
    const ws = openTwo();
    frame('a.1', { type: 'sum', id: 'A-1', data: 1 });
    frame('b.1', { type: 'sum', id: 'B-1', data: 2 });
    frame('b.1', 'plain text');
    expect(ws.sent).toHaveLength(3);
    ws.receive('{"type":"sum","re":"B-1","data":2}');
    expect(last()).toMatchObject({ k: 'm', to: ['b.1'] });
    ws.receive('{"type":"sum","re":"A-1","data":1}');
    expect(last()).toMatchObject({ k: 'm', to: ['a.1'] });
    const before = posted.length;
    ws.receive('{"type":"sum","re":"A-1","data":1}'); // a second reply: nobody asked
    expect(posted).toHaveLength(before);
    ws.receive('{"type":"chat","data":"hi"}'); // anything else: every transport
    expect(last()).toMatchObject({ k: 'm', d: '{"type":"chat","data":"hi"}' });
    expect(last().to).toBeUndefined();
  });

  it('ref-counts subscriptions: stream messages to subscribers only, unsubscribe with the last', () => {
    const ws = openTwo();
    frame('a.1', { type: 'subscribe', id: 'A-1', data: { stream: 's' } });
    ws.receive('{"type":"subscribe","re":"A-1","data":{"epoch":"e","seq":"4","recovered":true}}');
    ws.receive('{"type":"t","stream":"s","epoch":"e","seq":"5"}');
    expect(last()).toMatchObject({ k: 'm', to: ['a.1'] });
    // A first subscribe of another tab asks from the newest position delivered here, so
    // replacing the subscription on the server loses nothing for the first tab.
    frame('b.1', { type: 'subscribe', id: 'B-1', data: { stream: 's', data: { x: 1 } } });
    expect(JSON.parse(ws.sent.at(-1) as string)).toEqual({
      type: 'subscribe',
      id: 'B-1',
      data: { stream: 's', data: { x: 1 }, since: { epoch: 'e', seq: '5' } },
    });
    ws.receive('{"type":"t","stream":"s","epoch":"e","seq":"6"}');
    expect(last().to).toEqual(['a.1', 'b.1']);
    const sent = ws.sent.length;
    frame('a.1', { type: 'unsubscribe', data: { stream: 's' } });
    expect(ws.sent).toHaveLength(sent); // b.1 still follows it
    ws.receive('{"type":"t","stream":"s","epoch":"e","seq":"7"}');
    expect(last().to).toEqual(['b.1']);
    frame('b.1', { type: 'unsubscribe', data: { stream: 's' } });
    expect(JSON.parse(ws.sent.at(-1) as string)).toEqual({
      type: 'unsubscribe',
      data: { stream: 's' },
    });
    const before = posted.length;
    ws.receive('{"type":"t","stream":"s","epoch":"e","seq":"8"}');
    expect(posted).toHaveLength(before); // nobody subscribed
  });

  it('a transport that leaves gives up its streams; the last one closes the connection', () => {
    const ws = openTwo();
    frame('a.1', { type: 'subscribe', id: 'A-1', data: { stream: 's' } });
    frame('b.1', { type: 'subscribe', id: 'B-1', data: { stream: 's' } });
    hub._receive({ k: 'c', n: TERM, t: 'a.1', c: 1000, r: '' });
    expect(ws.closeCalls).toEqual([]);
    hub._receive({ k: 'c', n: TERM, t: 'b.1', c: 1000, r: '' });
    expect(JSON.parse(ws.sent.at(-1) as string).type).toBe('unsubscribe');
    expect(ws.closeCalls).toHaveLength(1);
  });

  it('the real connection closing closes every transport with its code', () => {
    const ws = openTwo();
    ws.serverClose(1012, 'server restart', true);
    expect(last()).toMatchObject({ k: 'x', to: ['a.1', 'b.1'], c: 1012, l: true });
    attach('a.2'); // the next attempt opens a new connection
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('a failed connection reports an error with its close', () => {
    attach('a.1');
    FakeWebSocket.last.fail();
    expect(last()).toMatchObject({ k: 'x', c: 1006, l: false, x: true });
  });

  it('a heartbeat timeout or reconnect() in one tab restarts the connection for all', () => {
    const ws = openTwo();
    hub._receive({ k: 'c', n: TERM, t: 'a.1', c: 4000, r: 'heartbeat timeout' });
    expect(ws.closeCalls).toHaveLength(1);
    expect(last()).toMatchObject({ k: 'x', to: ['b.1'], l: false });
  });

  it('stop closes the connection and every transport, unclean (they reconnect elsewhere)', () => {
    const ws = openTwo();
    hub._stop();
    expect(ws.closeCalls).toHaveLength(1);
    expect(last()).toMatchObject({ k: 'x', to: ['a.1', 'b.1'], c: 1006, l: false });
  });

  describe('tabs that die without a word (a crashed renderer)', () => {
    /** Tabs whose lock is held; the hub asks on every beacon. */
    let live: Set<string>;
    let sweeps: number;
    beforeEach(() => {
      hub._stop();
      posted = [];
      live = new Set(['a', 'b']);
      sweeps = 0;
      hub = createHub(
        TERM,
        (m) => posted.push(m),
        FakeWS,
        async () => {
          sweeps++;
          return (t) => live.has(t.split('.')[0]!);
        },
      );
    });
    const sent = (ws: FakeWebSocket) => ws.sent.map((d) => JSON.parse(d as string));

    it('forgets a dead tab two sweeps later: its own streams are left, its replies dropped', async () => {
      const ws = openTwo();
      frame('a.1', { type: 'subscribe', id: 'A-1', data: { stream: 'both' } });
      frame('b.1', { type: 'subscribe', id: 'B-1', data: { stream: 'both' } });
      frame('b.1', { type: 'subscribe', id: 'B-2', data: { stream: 'b-only' } });
      frame('b.1', { type: 'sum', id: 'B-3', data: 1 });
      live.delete('b');
      await vi.advanceTimersByTimeAsync(BEACON_MS);
      expect(sweeps).toBe(1);
      expect(sent(ws).filter((e) => e.type === 'unsubscribe')).toEqual([]); // suspected only
      await vi.advanceTimersByTimeAsync(BEACON_MS);
      expect(sent(ws).filter((e) => e.type === 'unsubscribe')).toEqual([
        { type: 'unsubscribe', data: { stream: 'b-only' } },
      ]);
      const before = posted.filter((m) => m.k === 'm').length;
      ws.receive('{"type":"sum","re":"B-3","data":1}'); // its tab is gone: dropped
      expect(posted.filter((m) => m.k === 'm')).toHaveLength(before);
      ws.receive('{"type":"t","stream":"both","epoch":"e","seq":"1"}');
      expect(last()).toMatchObject({ k: 'm', to: ['a.1'] });
      expect(ws.closeCalls).toEqual([]);
    });

    it('keeps a tab that looked dead once and is there again (its lock was on its way)', async () => {
      const ws = openTwo();
      frame('b.1', { type: 'subscribe', id: 'B-1', data: { stream: 's' } });
      live.delete('b');
      await vi.advanceTimersByTimeAsync(BEACON_MS);
      live.add('b');
      await vi.advanceTimersByTimeAsync(3 * BEACON_MS);
      expect(sweeps).toBe(4);
      expect(sent(ws).filter((e) => e.type === 'unsubscribe')).toEqual([]);
      ws.receive('{"type":"t","stream":"s","epoch":"e","seq":"1"}');
      expect(last()).toMatchObject({ k: 'm', to: ['b.1'] });
    });

    it('closes the connection when every tab is gone, and sweeps nothing after stop', async () => {
      const ws = openTwo();
      live.clear();
      await vi.advanceTimersByTimeAsync(2 * BEACON_MS);
      expect(ws.closeCalls).toHaveLength(1);
      hub._stop();
      await vi.advanceTimersByTimeAsync(3 * BEACON_MS);
      expect(sweeps).toBe(2);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('a failing lock query changes nothing', async () => {
      hub._stop();
      hub = createHub(
        TERM,
        (m) => posted.push(m),
        FakeWS,
        () => Promise.reject(new Error('no')),
      );
      const ws = openTwo();
      await vi.advanceTimersByTimeAsync(3 * BEACON_MS);
      expect(ws.closeCalls).toEqual([]);
      expect(of('x')).toEqual([]);
    });
  });

  it('ignores frames of transports it does not know or that are not open yet', () => {
    attach('a.1');
    const ws = FakeWebSocket.last;
    frame('a.1', 'too early');
    frame('z.9', 'stranger');
    ws.open();
    expect(ws.sent).toEqual([]);
  });
});
