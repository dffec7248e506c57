// Heartbeat, network awareness and wake detection, with fake timers and a FakeWebSocket.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { WAKE_THRESHOLD, WATCHDOG_TICK } from '../src/wake';
import { FakeWebSocket } from './support/fake-websocket';
import { makeSocket, useFakeSocketEnvironment } from './support/harness';

useFakeSocketEnvironment();

let online = true;
let visibility: DocumentVisibilityState = 'visible';
beforeEach(() => {
  online = true;
  visibility = 'visible';
  vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
});

describe('heartbeat', () => {
  const heartbeat = { interval: 1000, timeout: 500 };

  it('pings after interval ms of silence, not while frames keep arriving', () => {
    makeSocket({ heartbeat });
    const ws = FakeWebSocket.last;
    ws.open();
    vi.advanceTimersByTime(600);
    ws.receive('traffic');
    vi.advanceTimersByTime(999);
    expect(ws.sent).toEqual([]); // only 999 ms idle
    // The timer looks 4 times per interval: the ping follows within 1.25 intervals of silence.
    vi.advanceTimersByTime(251);
    expect(ws.sent).toEqual(['{"type":"ping"}']);
  });

  it('closes with 4000 "heartbeat timeout" and reconnects when nothing answers', () => {
    const socket = makeSocket({ heartbeat });
    const closes: unknown[] = [];
    socket.on('close', (e) => closes.push([e.code, e.reason, e.wasClean, e.willReconnect]));
    const ws = FakeWebSocket.last;
    ws.open();
    vi.advanceTimersByTime(1000 + 499);
    expect(socket.status).toBe('open');
    vi.advanceTimersByTime(1);
    expect(ws.closeCalls).toEqual([[4000, 'heartbeat timeout']]);
    expect(closes).toEqual([[4000, 'heartbeat timeout', false, true]]);
    expect(socket.status).toBe('reconnecting');
    vi.advanceTimersByTime(1000);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('any frame after the ping proves the connection; a pong also measures latency', () => {
    const socket = makeSocket({ heartbeat: { ...heartbeat, message: 'PING' } });
    const ws = FakeWebSocket.last;
    ws.open();
    vi.advanceTimersByTime(1000);
    expect(ws.sent).toEqual(['PING']);
    vi.advanceTimersByTime(120);
    ws.receive('{"type":"pong"}');
    expect(socket.latency).toBe(120);
    // t=1120: the next ping comes 1 to 1.25 intervals after the pong: t=2120 to 2370.
    vi.advanceTimersByTime(999);
    expect(ws.sent).toEqual(['PING']);
    vi.advanceTimersByTime(251);
    expect(ws.sent).toEqual(['PING', 'PING']);
    // t=2370, the ping went out at 2250 at the latest: its deadline is 2750 or sooner.
    vi.advanceTimersByTime(100);
    ws.receive('not a pong, but proof of life');
    vi.advanceTimersByTime(600);
    expect(socket.status).toBe('open');
    expect(socket.latency).toBe(120);
  });

  it('stops with the connection: no ping is sent while reconnecting', () => {
    makeSocket({ heartbeat });
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail();
    expect(vi.getTimerCount()).toBe(1); // only the backoff timer
  });
});

describe('network awareness', () => {
  it('spends no attempt while offline and tries at once on online', () => {
    online = false;
    const socket = makeSocket();
    expect(socket.status).toBe('connecting');
    expect(FakeWebSocket.instances).toHaveLength(0);
    vi.advanceTimersByTime(60000);
    expect(FakeWebSocket.instances).toHaveLength(0);
    online = true;
    window.dispatchEvent(new Event('online'));
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('skips the rest of a backoff wait when the network comes back or the page is shown', () => {
    const socket = makeSocket({ reconnect: { initialDelay: 20000, jitter: 'none' } });
    FakeWebSocket.last.fail();
    expect(socket.status).toBe('reconnecting');
    window.dispatchEvent(new Event('online'));
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.last.fail();
    visibility = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    expect(FakeWebSocket.instances).toHaveLength(2);
    visibility = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    expect(FakeWebSocket.instances).toHaveLength(3);
    // An attempt in flight is not doubled.
    window.dispatchEvent(new Event('online'));
    expect(FakeWebSocket.instances).toHaveLength(3);
  });

  it('network: false ignores the browser online state', () => {
    online = false;
    makeSocket({ network: false });
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('detaches its listeners when closed', () => {
    const add = vi.spyOn(window, 'addEventListener');
    const remove = vi.spyOn(window, 'removeEventListener');
    const socket = makeSocket();
    socket.close();
    expect(add.mock.calls.map((c) => c[0])).toEqual(['online']);
    expect(remove.mock.calls.map((c) => c[0])).toEqual(['online']);
  });
});

describe('wake detection', () => {
  const sleep = (ms: number) => {
    vi.setSystemTime(Date.now() + ms); // the wall clock jumps; timers did not run meanwhile
    vi.advanceTimersByTime(WATCHDOG_TICK);
  };

  it('without a heartbeat, a clock jump while visible reconnects at once', () => {
    const socket = makeSocket();
    const wakes: number[] = [];
    socket.on('wake', (e) => wakes.push(e.sleptMs));
    FakeWebSocket.last.open();
    sleep(60000);
    expect(wakes).toHaveLength(1);
    expect(wakes[0]).toBeGreaterThanOrEqual(60000 - WATCHDOG_TICK);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(FakeWebSocket.instances[0]!.closeCalls).toEqual([[1000, 'reconnect']]);
  });

  it('with a heartbeat, a wake probes at once and reconnects within the timeout if dead', () => {
    const socket = makeSocket({ heartbeat: { interval: 25000, timeout: 2000 } });
    const ws = FakeWebSocket.last;
    ws.open();
    document.dispatchEvent(new Event('resume'));
    expect(ws.sent).toEqual(['{"type":"ping"}']);
    vi.advanceTimersByTime(2000);
    expect(ws.closeCalls).toEqual([[4000, 'heartbeat timeout']]);
    expect(socket.status).toBe('reconnecting');
  });

  it('with a heartbeat, a live connection answers the probe and stays', () => {
    const socket = makeSocket({ heartbeat: { interval: 25000, timeout: 2000 } });
    const ws = FakeWebSocket.last;
    ws.open();
    sleep(30000);
    expect(ws.sent).toHaveLength(1);
    ws.receive('{"type":"pong"}');
    vi.advanceTimersByTime(3000);
    expect(socket.status).toBe('open');
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('a jump while the page was hidden (timer throttling) is not a wake', () => {
    const socket = makeSocket();
    const wake = vi.fn();
    socket.on('wake', wake);
    FakeWebSocket.last.open();
    visibility = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    sleep(60000);
    visibility = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    sleep(60000 - WAKE_THRESHOLD); // first tick after being shown still spans the hidden time
    expect(wake).not.toHaveBeenCalled();
    sleep(WAKE_THRESHOLD + 1000); // now visible throughout: a real sleep
    expect(wake).toHaveBeenCalledTimes(1);
  });

  it('small clock drift is not a wake, and wake: false turns detection off', () => {
    const socket = makeSocket();
    const wake = vi.fn();
    socket.on('wake', wake);
    FakeWebSocket.last.open();
    sleep(WAKE_THRESHOLD - 1000);
    expect(wake).not.toHaveBeenCalled();
    const off = makeSocket({ wake: false });
    off.on('wake', wake);
    FakeWebSocket.last.open();
    document.dispatchEvent(new Event('resume'));
    expect(wake).toHaveBeenCalledTimes(1); // only the first socket saw the resume
  });
});
