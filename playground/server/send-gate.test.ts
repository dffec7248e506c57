import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { SendGate } from './send-gate';

/** Enough of a `ws` socket for the gate: records what reaches the network. */
function fakeSocket() {
  const wire: string[] = [];
  const socket = {
    OPEN: 1,
    readyState: 1,
    send(data: string, _options?: unknown, callback?: () => void) {
      wire.push(data);
      callback?.();
    },
  };
  return { socket: socket as unknown as WebSocket, wire, raw: socket };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SendGate', () => {
  it('lets sends through untouched until a fault', () => {
    const { socket, wire } = fakeSocket();
    new SendGate(socket);
    socket.send('a');
    socket.send('b', () => {});
    expect(wire).toEqual(['a', 'b']);
  });

  it('holds gated sends for the delay, keeping their order when the delay shrinks', () => {
    const { socket, wire } = fakeSocket();
    const gate = new SendGate(socket);
    gate.setDelay(300);
    socket.send('1');
    vi.advanceTimersByTime(100);
    socket.send('2');
    gate.setDelay(0);
    socket.send('3'); // must wait behind 1 and 2
    gate.sendDirect('ack'); // the playground's own frames pass at once
    expect(wire).toEqual(['ack']);
    vi.advanceTimersByTime(199);
    expect(wire).toEqual(['ack']);
    vi.advanceTimersByTime(1);
    expect(wire).toEqual(['ack', '1']);
    vi.advanceTimersByTime(100);
    expect(wire).toEqual(['ack', '1', '2', '3']);
    socket.send('4');
    expect(wire.at(-1)).toBe('4');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('swallows everything gated once blackholed, held frames included', () => {
    const { socket, wire } = fakeSocket();
    const gate = new SendGate(socket);
    gate.setDelay(100);
    socket.send('held');
    gate.blackhole();
    const done = vi.fn();
    socket.send('reply', {}, done);
    vi.advanceTimersByTime(1000);
    expect(wire).toEqual([]);
    expect(gate.isBlackholed).toBe(true);
    gate.sendDirect('flood');
    expect(wire).toEqual(['flood']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops held frames when cleared and sends nothing on a closed socket', () => {
    const { socket, wire, raw } = fakeSocket();
    const gate = new SendGate(socket);
    gate.setDelay(100);
    socket.send('held');
    gate.clear();
    expect(vi.getTimerCount()).toBe(0);
    raw.readyState = 3;
    const done = vi.fn();
    gate.sendDirect('late', false, done);
    expect(done).toHaveBeenCalledOnce();
    expect(wire).toEqual([]);
  });
});
