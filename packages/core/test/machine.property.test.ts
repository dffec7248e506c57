// The invariant the whole lifecycle rests on, checked over random event sequences: a socket
// is never stuck and never doubled. Unless it is idle or closed, there is exactly one live
// transport, or a pending timer, or (offline) an `online` listener that will act; never two
// transports. Closed/idle/disposed sockets hold no transport and no timer.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Socket } from '../src/socket';
import { FakeWebSocket, FakeWS } from './support/fake-websocket';

type Action =
  | { kind: 'open' | 'fail' | 'finishClose' | 'receive' | 'ping-reply' }
  | { kind: 'serverClose'; code: number; clean: boolean }
  | { kind: 'advance'; ms: number }
  | { kind: 'offline' | 'online' | 'hide' | 'show' | 'resume' | 'sleep' }
  | { kind: 'connect' | 'close' | 'reconnect' | 'dispose' | 'send' };

const code = fc.oneof(
  fc.constantFrom(
    1000,
    1001,
    1002,
    1003,
    1006,
    1007,
    1008,
    1009,
    1010,
    1011,
    1012,
    1013,
    1014,
    4000,
    4001,
  ),
  fc.integer({ min: 1000, max: 4999 }),
);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.constantFrom<Action>(
    { kind: 'open' },
    { kind: 'open' },
    { kind: 'fail' },
    { kind: 'finishClose' },
    { kind: 'receive' },
    { kind: 'ping-reply' },
    { kind: 'offline' },
    { kind: 'online' },
    { kind: 'hide' },
    { kind: 'show' },
    { kind: 'resume' },
    { kind: 'sleep' },
    { kind: 'connect' },
    { kind: 'close' },
    { kind: 'reconnect' },
    { kind: 'send' },
  ),
  fc.record({ kind: fc.constant('serverClose' as const), code, clean: fc.boolean() }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40000 }) }),
  fc.constant<Action>({ kind: 'dispose' }),
);
const options = fc.record({
  heartbeat: fc.oneof(fc.constant(false), fc.constant({ interval: 3000, timeout: 1000 })),
  wake: fc.boolean(),
  network: fc.boolean(),
  autoConnect: fc.boolean(),
  maxAttempts: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 0, max: 4 })),
  connectTimeout: fc.integer({ min: 100, max: 20000 }),
});

let online = true;
let visibility: DocumentVisibilityState = 'visible';
beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function apply(socket: Socket, a: Action): void {
  const ws = FakeWebSocket.instances.at(-1);
  const attached = ws && ws.onmessage !== null;
  switch (a.kind) {
    case 'open':
      if (attached && ws.readyState === 0) ws.open();
      break;
    case 'fail':
      if (attached && ws.readyState < 3) ws.fail();
      break;
    case 'serverClose':
      if (attached && ws.readyState < 3) ws.serverClose(a.code, '', a.clean);
      break;
    case 'finishClose':
      if (attached && ws.readyState === 2) ws.finishClose();
      break;
    case 'receive':
      if (attached && ws.readyState === 1) ws.receive('{"type":"news"}');
      break;
    case 'ping-reply':
      if (attached && ws.readyState === 1) ws.receive('{"type":"pong"}');
      break;
    case 'advance':
      vi.advanceTimersByTime(a.ms);
      break;
    case 'offline':
      online = false;
      window.dispatchEvent(new Event('offline'));
      break;
    case 'online':
      online = true;
      window.dispatchEvent(new Event('online'));
      break;
    case 'hide':
    case 'show':
      visibility = a.kind === 'hide' ? 'hidden' : 'visible';
      document.dispatchEvent(new Event('visibilitychange'));
      break;
    case 'resume':
      document.dispatchEvent(new Event('resume'));
      break;
    case 'sleep':
      vi.setSystemTime(Date.now() + 60000);
      vi.advanceTimersByTime(5000);
      break;
    case 'dispose':
      socket.dispose();
      break;
    case 'send':
      try {
        socket.send('x');
      } catch (error) {
        expect((error as { code?: string }).code).toBe('ERR_CLOSED'); // only once disposed
      }
      break;
    default:
      try {
        socket[a.kind]();
      } catch (error) {
        // Only a disposed socket may refuse connect/reconnect.
        expect((error as { code?: string }).code).toBe('ERR_CLOSED');
      }
  }
}

function checkInvariant(socket: Socket, disposed: boolean): void {
  const live = FakeWebSocket.live();
  const timers = vi.getTimerCount();
  const status = socket.status;
  expect(live.length).toBeLessThanOrEqual(1);
  if (disposed || status === 'closed' || status === 'idle') {
    expect(live).toHaveLength(0);
    expect(timers).toBe(0);
    expect(socket.readyState).toBe(3);
    return;
  }
  if (status === 'open') {
    expect(live).toHaveLength(1);
    expect(live[0]!.readyState).toBe(1);
    expect(socket.readyState).toBe(1);
  } else if (status === 'closing') {
    expect(live).toHaveLength(1);
    expect(socket.readyState).toBe(2);
  } else {
    // connecting / reconnecting: an attempt in flight, a timer that will make one, or an
    // offline wait that `online` ends.
    expect(socket.readyState).toBe(0);
    const waitingForNetwork = !online;
    expect(live.length + timers > 0 || waitingForNetwork).toBe(true);
  }
}

describe('lifecycle invariant (fast-check)', () => {
  it('no random sequence of events leaves a socket stuck or doubled', () => {
    fc.assert(
      fc.property(options, fc.array(action, { minLength: 1, maxLength: 60 }), (opts, actions) => {
        FakeWebSocket.reset();
        online = true;
        visibility = 'visible';
        const socket = new Socket('wss://example.test/ws', {
          WebSocket: FakeWS,
          heartbeat: opts.heartbeat,
          wake: opts.wake,
          network: opts.network,
          autoConnect: opts.autoConnect,
          connectTimeout: opts.connectTimeout,
          reconnect: { maxAttempts: opts.maxAttempts },
        });
        let disposed = false;
        try {
          for (const a of actions) {
            apply(socket, a);
            disposed ||= a.kind === 'dispose';
            checkInvariant(socket, disposed);
          }
        } finally {
          socket.dispose();
          vi.clearAllTimers();
        }
        expect(socket.eventNames()).toEqual([]);
      }),
      { numRuns: 400 },
    );
  }, 60_000);
});
