// Stream subscriptions on the Socket (DESIGN §8) over a hand-driven FakeWebSocket: the
// subscribe frames and when they go out, positions, duplicates, gaps, resyncs, ref-counted
// handles, errors and the socket's lifecycle around them.
import { describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../src/envelope';
import { LifelineError } from '../src/errors';
import type { Socket } from '../src/socket';
import type { Subscription } from '../src/subscription';
import { FakeWebSocket } from './support/fake-websocket';
import { makeSocket, useFakeSocketEnvironment } from './support/harness';

useFakeSocketEnvironment();

const frames = (ws = FakeWebSocket.last): Envelope[] =>
  ws.sent.map((frame) => JSON.parse(frame as string));
const subscribes = (ws = FakeWebSocket.last) => frames(ws).filter((f) => f.type === 'subscribe');
const lastSubscribe = (ws = FakeWebSocket.last) => subscribes(ws).at(-1)!;
const ack = (id: string, epoch: string, seq: string, recovered = true, ws = FakeWebSocket.last) =>
  ws.receive(JSON.stringify({ type: 'subscribe', re: id, data: { epoch, seq, recovered } }));
const push = (stream: string, seq: string, epoch = 'e1', data: unknown = { n: seq }) =>
  FakeWebSocket.last.receive(JSON.stringify({ type: 'chat', stream, epoch, seq, data }));

/** A subscription on an open socket whose first reply put it at `epoch`/`seq`. */
function live(seq = '0', stream = 'room:1'): { socket: Socket; sub: Subscription; got: string[] } {
  const socket = makeSocket();
  FakeWebSocket.last.open();
  const got: string[] = [];
  const sub = socket.subscribe(stream, (_data, message) => got.push(message.seq));
  ack(lastSubscribe().id!, 'e1', seq);
  return { socket, sub, got };
}

describe('subscribe frames', () => {
  it('waits for the open, then goes out before queued messages, with the app data', () => {
    const socket = makeSocket();
    socket.sendJson('hello', 1);
    const sub = socket.subscribe('room:1', undefined, { data: { token: 't' } });
    expect(sub.status).toBe('subscribing');
    expect(sub.position).toBeUndefined();
    FakeWebSocket.last.open();
    const sent = frames();
    expect(sent.map((f) => f.type)).toEqual(['subscribe', 'hello']);
    expect(sent[0]).toEqual({
      type: 'subscribe',
      id: expect.any(String),
      data: { stream: 'room:1', data: { token: 't' } },
    });
  });

  it('goes out at once while open, with an id from the request id generator', async () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const request = socket.request('sum', 1);
    const settled = request.catch((error) => error);
    socket.subscribe('room:1');
    const [req, sub] = frames();
    const cut = req!.id!.lastIndexOf('-');
    expect(sub!.id).toBe(`${req!.id!.slice(0, cut)}-${Number(req!.id!.slice(cut + 1)) + 1}`);
    socket.dispose();
    expect(await settled).toMatchObject({ code: 'ERR_CLOSED' });
  });

  it('stores the head of the reply as the position even when no message follows', () => {
    const { sub } = live('41');
    expect(sub.status).toBe('live');
    expect(sub.position).toEqual({ epoch: 'e1', seq: '41' });
    expect(sub.position).toBe(sub.position); // the same object until it moves
  });

  it('is never queued and never resent by requests: a fresh subscribe on every open', () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    socket.subscribe('room:1');
    const first = lastSubscribe().id!;
    FakeWebSocket.last.fail();
    expect(socket.queued).toBe(0);
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.open();
    expect(subscribes()).toHaveLength(1);
    expect(lastSubscribe().id).not.toBe(first);
  });
});

describe('positions', () => {
  it('delivers in order, advances on each message and drops duplicates without an event', () => {
    const { sub, got } = live('5');
    const events = vi.fn();
    sub.on('gap', events).on('resync', events);
    push('room:1', '6');
    push('room:1', '6');
    push('room:1', '7');
    push('room:1', '3');
    expect(got).toEqual(['6', '7']);
    expect(sub.position).toEqual({ epoch: 'e1', seq: '7' });
    expect(sub.duplicates).toBe(2);
    expect(events).not.toHaveBeenCalled();
    expect(subscribes()).toHaveLength(1);
  });

  it('passes data and the whole stream envelope to the handler and the message event', () => {
    const { sub } = live('0');
    const listener = vi.fn();
    sub.on('message', listener);
    push('room:1', '1', 'e1', { text: 'hi' });
    expect(listener).toHaveBeenCalledWith(
      { text: 'hi' },
      { type: 'chat', stream: 'room:1', epoch: 'e1', seq: '1', data: { text: 'hi' } },
    );
  });

  it('carries across 9 → 10 and positions past 2^53', () => {
    const { got } = live('9007199254740999');
    push('room:1', '9007199254741000');
    push('room:1', '9007199254741001');
    expect(got).toEqual(['9007199254741000', '9007199254741001']);
  });

  it('a gap re-subscribes from the position on the same connection and reports it once', () => {
    const { sub, got } = live('5');
    const gaps = vi.fn();
    sub.on('gap', gaps);
    push('room:1', '9');
    expect(gaps).toHaveBeenCalledWith({ from: '6', to: '8' });
    const retry = lastSubscribe();
    expect(retry.data).toEqual({ stream: 'room:1', since: { epoch: 'e1', seq: '5' } });
    // Pending: later ones are ignored (the replay brings them) and trigger nothing more.
    push('room:1', '10');
    push('room:1', '12');
    expect(subscribes()).toHaveLength(2);
    expect(gaps).toHaveBeenCalledTimes(1);
    ack(retry.id!, 'e1', '10');
    for (const seq of ['6', '7', '8', '9', '10']) push('room:1', seq);
    push('room:1', '11');
    expect(got).toEqual(['6', '7', '8', '9', '10', '11']);
    expect(sub.status).toBe('live');
  });

  it('a contiguous message while the re-subscribe is pending is delivered; its replay is a duplicate', () => {
    const { sub, got } = live('5');
    push('room:1', '8');
    const retry = lastSubscribe().id!;
    push('room:1', '6');
    ack(retry, 'e1', '8');
    for (const seq of ['6', '7', '8']) push('room:1', seq);
    expect(got).toEqual(['6', '7', '8']);
    expect(sub.duplicates).toBe(1);
  });

  it('a message of another epoch re-subscribes; the reply resyncs once', () => {
    const { sub, got } = live('5');
    const resync = vi.fn();
    const gaps = vi.fn();
    sub.on('resync', resync).on('gap', gaps);
    push('room:1', '1', 'e2');
    push('room:1', '2', 'e2');
    expect(subscribes()).toHaveLength(2);
    ack(lastSubscribe().id!, 'e2', '2', false);
    expect(resync).toHaveBeenCalledTimes(1);
    expect(resync).toHaveBeenCalledWith({ position: { epoch: 'e2', seq: '2' } });
    expect(gaps).not.toHaveBeenCalled();
    push('room:1', '3', 'e2');
    expect(got).toEqual(['3']);
  });

  it('recovered: false on a resume resyncs and jumps to the server position', () => {
    const { sub, got } = live('5');
    const resync = vi.fn();
    sub.on('resync', resync);
    FakeWebSocket.last.fail();
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.open();
    expect(lastSubscribe().data).toEqual({ stream: 'room:1', since: { epoch: 'e1', seq: '5' } });
    ack(lastSubscribe().id!, 'e1', '900', false);
    expect(resync).toHaveBeenCalledExactlyOnceWith({ position: { epoch: 'e1', seq: '900' } });
    push('room:1', '901');
    expect(got).toEqual(['901']);
  });

  it('a different epoch in a recovered reply resyncs too', () => {
    const { sub } = live('5');
    const resync = vi.fn();
    sub.on('resync', resync);
    push('room:1', '8');
    ack(lastSubscribe().id!, 'e9', '3', true);
    expect(resync).toHaveBeenCalledExactlyOnceWith({ position: { epoch: 'e9', seq: '3' } });
  });

  it('ignores messages before the first reply and of streams nobody subscribed to', () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const got = vi.fn();
    socket.subscribe('room:1', got);
    push('room:1', '1');
    push('room:2', '1');
    expect(got).not.toHaveBeenCalled();
  });

  it('reports a malformed stream message on the socket and delivers nothing', () => {
    const { socket, got } = live('5');
    const errors: LifelineError[] = [];
    socket.on('error', (error) => errors.push(error as LifelineError));
    push('room:1', '07');
    FakeWebSocket.last.receive('{"type":"chat","stream":"room:1","epoch":"e1","seq":6}');
    expect(errors.map((e) => e.code)).toEqual(['ERR_INVALID_MESSAGE', 'ERR_INVALID_MESSAGE']);
    expect(got).toEqual([]);
    expect(subscribes()).toHaveLength(1);
  });
});

describe('connection changes', () => {
  it('a drop turns live subscriptions to subscribing', () => {
    const { sub } = live('3');
    const statuses: string[] = [];
    sub.on('status', (status, previous) => statuses.push(`${previous}→${status}`));
    FakeWebSocket.last.fail();
    expect(sub.status).toBe('subscribing');
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.open();
    ack(lastSubscribe().id!, 'e1', '3');
    expect(statuses).toEqual(['live→subscribing', 'subscribing→live']);
  });

  it('forgets a subscribe the connection dropped: its reply, if it ever comes, is ignored', () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const sub = socket.subscribe('room:1');
    const lost = lastSubscribe().id!;
    FakeWebSocket.last.fail();
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.open();
    ack(lost, 'e1', '50');
    expect(sub.position).toBeUndefined();
    expect(sub.status).toBe('subscribing');
    ack(lastSubscribe().id!, 'e1', '3');
    expect(sub.position).toEqual({ epoch: 'e1', seq: '3' });
  });

  it('on reconnect: subscribes, then unanswered requests, then the queue', async () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    socket.subscribe('room:1');
    ack(lastSubscribe().id!, 'e1', '2');
    const request = socket.request('sum', 3);
    FakeWebSocket.last.fail();
    socket.sendJson('queued', 1);
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.open();
    expect(frames().map((f) => f.type)).toEqual(['subscribe', 'sum', 'queued']);
    FakeWebSocket.last.receive(JSON.stringify({ type: 'sum', re: frames()[1]!.id, data: 4 }));
    await expect(request).resolves.toBe(4);
  });

  it('outlives close()/connect() and subscribes again from its position', () => {
    const { socket, sub } = live('7');
    socket.close();
    FakeWebSocket.last.finishClose();
    expect(socket.status).toBe('closed');
    expect(sub.status).toBe('subscribing');
    socket.connect();
    FakeWebSocket.last.open();
    expect(lastSubscribe().data).toEqual({ stream: 'room:1', since: { epoch: 'e1', seq: '7' } });
  });

  it('dispose() closes every handle: status closed, listeners removed, no timer left', () => {
    const { socket, sub } = live('1');
    const status = vi.fn();
    sub.on('status', status);
    socket.dispose();
    expect(status).toHaveBeenCalledExactlyOnceWith('closed', 'live');
    expect(sub.status).toBe('closed');
    expect(sub.listenerCount('status')).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(() => socket.subscribe('room:1')).toThrow(
      expect.objectContaining({ code: 'ERR_CLOSED' }),
    );
  });
});

describe('handles', () => {
  it('share one wire subscription; the last unsubscribe sends the frame', () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const a = vi.fn();
    const b = vi.fn();
    const first = socket.subscribe('room:1', a);
    const second = socket.subscribe('room:1', b);
    expect(subscribes()).toHaveLength(1);
    ack(lastSubscribe().id!, 'e1', '0');
    expect(second.status).toBe('live');
    push('room:1', '1');
    first.unsubscribe();
    expect(first.status).toBe('closed');
    expect(frames().some((f) => f.type === 'unsubscribe')).toBe(false);
    push('room:1', '2');
    second.unsubscribe();
    second.unsubscribe();
    expect(frames().filter((f) => f.type === 'unsubscribe')).toEqual([
      { type: 'unsubscribe', data: { stream: 'room:1' } },
    ]);
    push('room:1', '3');
    expect(a.mock.calls.map(([, m]) => m.seq)).toEqual(['1']);
    expect(b.mock.calls.map(([, m]) => m.seq)).toEqual(['1', '2']);
    // A new subscribe starts afresh.
    socket.subscribe('room:1');
    expect(lastSubscribe().data).toEqual({ stream: 'room:1' });
  });

  it('an unsubscribe while not open sends nothing and queues nothing', () => {
    const { socket, sub } = live('1');
    FakeWebSocket.last.fail();
    sub.unsubscribe();
    expect(socket.queued).toBe(0);
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.sent).toEqual([]);
  });

  it('a handler that unsubscribes another handle mid-delivery stops that one', () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const calls: string[] = [];
    const second: { sub?: Subscription } = {};
    socket.subscribe('room:1', () => {
      calls.push('first');
      second.sub?.unsubscribe();
    });
    second.sub = socket.subscribe('room:1', () => calls.push('second'));
    ack(lastSubscribe().id!, 'e1', '0');
    push('room:1', '1');
    expect(calls).toEqual(['first']);
  });

  it('a handler that throws is reported and the others still run', () => {
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const other = vi.fn();
    socket.subscribe('room:1', () => {
      throw new Error('handler bug');
    });
    socket.subscribe('room:1', other);
    ack(lastSubscribe().id!, 'e1', '0');
    push('room:1', '1');
    expect(reported).toHaveBeenCalledTimes(1);
    expect(other).toHaveBeenCalledTimes(1);
    vi.unstubAllGlobals();
  });

  it('close() from a handler: the subscription waits for connect()', () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const sub = socket.subscribe('room:1', () => socket.close());
    ack(lastSubscribe().id!, 'e1', '0');
    push('room:1', '1');
    expect(socket.status).toBe('closing');
    expect(sub.status).toBe('subscribing');
    expect(sub.position).toEqual({ epoch: 'e1', seq: '1' });
  });

  it('close() from a resync listener leaves it subscribing, the resync still reported', () => {
    const { socket, sub } = live('4');
    const resync = vi.fn(() => socket.close());
    sub.on('resync', resync);
    push('room:1', '1', 'e2');
    ack(lastSubscribe().id!, 'e2', '1', false);
    expect(resync).toHaveBeenCalledTimes(1);
    expect(sub.status).toBe('subscribing');
  });
});

describe('errors and input', () => {
  it('a refused subscribe emits ERR_REMOTE, then status closed, and removes listeners', () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const sub = socket.subscribe('room:1');
    const events: string[] = [];
    sub.on('error', (error) => {
      const e = error as LifelineError;
      events.push(`${e.code}:${e.remote?.code}:${e.message}`);
    });
    sub.on('status', (status) => events.push(status));
    const socketErrors = vi.fn();
    socket.on('error', socketErrors);
    FakeWebSocket.last.receive(
      JSON.stringify({
        type: 'subscribe',
        re: lastSubscribe().id,
        error: { message: 'no', code: 'FORBIDDEN' },
      }),
    );
    expect(events).toEqual(['ERR_REMOTE:FORBIDDEN:no', 'closed']);
    expect(sub.status).toBe('closed');
    expect(sub.listenerCount('status')).toBe(0);
    expect(socketErrors).not.toHaveBeenCalled();
    expect(frames().some((f) => f.type === 'unsubscribe')).toBe(false);
    // Not subscribed any more: the next open sends nothing for it.
    FakeWebSocket.last.fail();
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.sent).toEqual([]);
  });

  it('a refusal nobody listens for reaches the socket error event', () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    socket.subscribe('room:1');
    const socketErrors: LifelineError[] = [];
    socket.on('error', (error) => socketErrors.push(error as LifelineError));
    FakeWebSocket.last.receive(
      JSON.stringify({ type: 'subscribe', re: lastSubscribe().id, error: { message: 'no' } }),
    );
    expect(socketErrors.map((e) => e.code)).toEqual(['ERR_REMOTE']);
  });

  it('a malformed reply closes with ERR_INVALID_MESSAGE and unsubscribes', () => {
    const socket = makeSocket();
    FakeWebSocket.last.open();
    const sub = socket.subscribe('room:1');
    const error = vi.fn();
    sub.on('error', error);
    FakeWebSocket.last.receive(
      JSON.stringify({
        type: 'subscribe',
        re: lastSubscribe().id,
        data: { epoch: 'e1', seq: 'x' },
      }),
    );
    expect(error.mock.calls[0]![0]).toMatchObject({ code: 'ERR_INVALID_MESSAGE' });
    expect(sub.status).toBe('closed');
    expect(frames().at(-1)).toEqual({ type: 'unsubscribe', data: { stream: 'room:1' } });
  });

  it('rejects a bad stream or handler with ERR_INVALID_OPTION, unencodable data with ERR_INVALID_MESSAGE', () => {
    const socket = makeSocket();
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(LifelineError);
        return (error as LifelineError).code;
      }
      return 'no error';
    };
    expect(code(() => socket.subscribe(''))).toBe('ERR_INVALID_OPTION');
    expect(code(() => socket.subscribe(42 as never))).toBe('ERR_INVALID_OPTION');
    expect(code(() => socket.subscribe('a', 'nope' as never))).toBe('ERR_INVALID_OPTION');
    expect(code(() => socket.subscribe('a', undefined, { data: 1n }))).toBe('ERR_INVALID_MESSAGE');
    // Nothing half-made: a valid subscribe of the same stream is a fresh one.
    FakeWebSocket.last.open();
    socket.subscribe('a');
    expect(lastSubscribe().data).toEqual({ stream: 'a' });
  });
});

describe('routing', () => {
  it('stream messages and subscribe replies never reach onMessage handlers', () => {
    const { socket } = live('0');
    const typed = vi.fn();
    const all = vi.fn();
    const raw = vi.fn();
    socket.onMessage('chat', typed);
    socket.onMessage('*', all);
    socket.on('message', raw);
    push('room:1', '1');
    push('room:9', '1');
    FakeWebSocket.last.receive('{"type":"chat","data":"plain"}');
    expect(typed).toHaveBeenCalledExactlyOnceWith('plain', { type: 'chat', data: 'plain' });
    expect(all).toHaveBeenCalledTimes(1);
    expect(raw).toHaveBeenCalledTimes(3);
  });
});
