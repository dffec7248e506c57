// The smaller entry on its own: the drop-in reconnecting socket without messaging. What it
// has (queue, reconnection, status, DOM events) works; what it lacks is absent, not stubbed.
import { describe, expect, it, vi } from 'vitest';
import { ReconnectingSocket } from '../src/reconnecting-socket';
import { Socket } from '../src/socket';
import { FakeWebSocket, FakeWS } from './support/fake-websocket';
import { useFakeSocketEnvironment } from './support/harness';

useFakeSocketEnvironment();

const sockets: ReconnectingSocket[] = [];
const make = (options = {}) => {
  const socket = new ReconnectingSocket('wss://example.test/ws', {
    WebSocket: FakeWS,
    reconnect: { jitter: 'none' },
    ...options,
  });
  sockets.push(socket);
  return socket;
};

describe('ReconnectingSocket (the smaller entry)', () => {
  it('queues while down, reconnects after a drop and flushes in order', () => {
    const socket = make();
    const statuses: string[] = [];
    socket.on('status', (status) => statuses.push(status));
    socket.send('a');
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.sent).toEqual(['a']);
    FakeWebSocket.last.fail();
    expect(socket.send('b')).toBe('queued');
    vi.advanceTimersByTime(1000);
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.sent).toEqual(['b']);
    expect(statuses).toEqual(['open', 'reconnecting', 'open']);
    socket.dispose();
  });

  it('dispatches raw frames to onmessage and message listeners, with itself as target', () => {
    const socket = make();
    const seen: unknown[] = [];
    socket.onmessage = (event) => seen.push(event.data, (event.target as unknown) === socket);
    socket.addEventListener('message', (event) => seen.push((event as MessageEvent).data));
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive('{"type":"chat"}');
    expect(seen).toEqual(['{"type":"chat"}', '{"type":"chat"}', true]);
    socket.dispose();
  });

  it('has no messaging surface; Socket is one too', () => {
    const socket = make({ autoConnect: false });
    expect('sendJson' in socket).toBe(false);
    expect('request' in socket).toBe(false);
    expect('onMessage' in socket).toBe(false);
    expect(new Socket('wss://example.test/ws', { autoConnect: false })).toBeInstanceOf(
      ReconnectingSocket,
    );
    socket.dispose();
  });

  it('leaves no timer or listener after dispose', () => {
    const socket = make({ heartbeat: undefined });
    FakeWebSocket.last.open();
    socket.on('close', () => {});
    socket.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(socket.eventNames()).toEqual([]);
  });
});
