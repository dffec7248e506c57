// The invariants the lifecycle rests on, checked after every step of random event sequences
// while listeners call back into the socket (DESIGN §2: any method from any listener), throw,
// and the wall clock jumps both ways:
// - never stuck, never doubled: unless idle or closed, one live transport, or a pending timer,
//   or (offline, with `network: true`) an `online` listener that will act; never two;
// - no event contradicts the status it follows; a connection that opened gets its `close`;
//   no event fires after `dispose()`;
// - the queue loses nothing and sends nothing twice, and sends in send order;
// - durations run on the monotonic clock: heartbeat and connect timeout ignore clock jumps;
// - what a listener throws reaches `reportError`, exactly once, and breaks nothing.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Status } from '../src/machine';
import type { OverflowMode } from '../src/options';
import { Socket } from '../src/socket';
import type { CloseEvent, DropEvent, SocketEventMap } from '../src/types';
import { FakeWebSocket, FakeWS } from './support/fake-websocket';

const TRANSPORT = ['open', 'fail', 'finishClose', 'receive', 'ping-reply'] as const;
const CALLS = ['connect', 'close', 'reconnect', 'send', 'sendBurst'] as const;
const ENVIRONMENT = ['offline', 'online', 'hide', 'show', 'resume', 'sleep'] as const;
type Simple = (typeof TRANSPORT | typeof CALLS | typeof ENVIRONMENT)[number] | 'dispose';
type Action =
  | { kind: Simple }
  | { kind: 'serverClose'; code: number; clean: boolean }
  | { kind: 'advance' | 'jump'; ms: number };
type Event = keyof SocketEventMap;
const EVENTS = ['status', 'open', 'close', 'error', 'message'] as Event[];
EVENTS.push('reconnecting', 'drop', 'giveup', 'wake');
const HANDLERS = ['onopen', 'onclose', 'onerror', 'onmessage'] as const;
type Hook = Event | (typeof HANDLERS)[number] | 'onMessage';
/** What one listener does on the `nth` call it gets (for `status`: the nth to status `when`). */
interface Reentry {
  hook: Hook;
  nth: number;
  when?: Status;
  call: 'close' | 'connect' | 'reconnect' | 'dispose' | 'send' | 'throw';
  thenThrow: boolean;
}

const kind = (...kinds: Simple[]) => fc.constantFrom(...kinds).map((k) => ({ kind: k }) as Action);
const timed = (k: 'advance' | 'jump', ms: fc.Arbitrary<number>) =>
  fc.record({ kind: fc.constant(k), ms });
const code = fc.oneof(
  fc.constantFrom(1000, 1001, 1006, 1011, 1012, 4000),
  fc.integer({ min: 1000, max: 4999 }),
);
// Weighted towards the socket's own lifecycle, so that paths like open → close → connect →
// open come up often; environment changes and dispose less.
const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: kind(...TRANSPORT), weight: 6 },
  { arbitrary: kind(...CALLS), weight: 5 },
  { arbitrary: kind(...ENVIRONMENT), weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constant('serverClose' as const), code, clean: fc.boolean() }),
    weight: 1,
  },
  { arbitrary: timed('advance', fc.oneof(fc.nat(4000), fc.nat(40000))), weight: 4 },
  {
    arbitrary: timed(
      'jump',
      fc.oneof(fc.constantFrom(-864e5, -6e4, 6e4), fc.integer({ min: -1e6, max: 1e6 })),
    ),
    weight: 2,
  },
  { arbitrary: kind('dispose'), weight: 1 },
);
const reentry: fc.Arbitrary<Reentry> = fc.record({
  hook: fc.constantFrom<Hook>(...EVENTS, ...HANDLERS, 'onMessage'),
  nth: fc.integer({ min: 1, max: 3 }),
  when: fc.option(
    fc.constantFrom<Status>('connecting', 'open', 'reconnecting', 'closing', 'closed'),
    { nil: undefined },
  ),
  call: fc.constantFrom('close', 'connect', 'reconnect', 'dispose', 'send', 'throw'),
  thenThrow: fc.boolean(),
});
const HEARTBEAT = { interval: 3000, timeout: 1000 };
const PING = '{"type":"ping"}';
const options = fc.record({
  heartbeat: fc.boolean(),
  wake: fc.boolean(),
  network: fc.boolean(),
  autoConnect: fc.boolean(),
  maxAttempts: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 0, max: 4 })),
  connectTimeout: fc.integer({ min: 100, max: 20000 }),
  // Small enough to overflow, or to expire (a drop while the queue flushes on open).
  queue: fc.oneof(
    fc.constantFrom(undefined, false as const),
    fc.record({
      maxMessages: fc.constantFrom(3, 1000),
      maxAge: fc.constantFrom(Number.POSITIVE_INFINITY, 1000),
      overflow: fc.constantFrom<OverflowMode>('drop-oldest', 'drop-newest', 'error'),
    }),
  ),
});
type Options = typeof options extends fc.Arbitrary<infer T> ? T : never;

let online = true;
let visibility: DocumentVisibilityState = 'visible';
let current: Run | undefined;
beforeEach(() => {
  vi.useFakeTimers(); // fakes performance.now() too; setSystemTime moves only the wall clock
  vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
  vi.stubGlobal('reportError', (error: unknown) => current?.reported.push(error));
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const errorCode = (error: unknown) => (error as { code?: string }).code;
const isPayload = (frame: unknown): frame is string =>
  typeof frame === 'string' && frame[0] === 'm';
/** Last sign of life of `ws` at `at`: its open, or the last frame received by then. */
const lastFrame = (ws: FakeWebSocket, at: number) =>
  Math.max(ws.openedAt ?? ws.createdAt, ...ws.receivedAt.filter((t) => t <= at));

/** One socket under test: records every event, acts out the plan, checks the invariants. */
class Run {
  readonly problems: string[] = [];
  readonly thrown: unknown[] = [];
  readonly reported: unknown[] = [];
  /** Payloads `send()` accepted (it returned, whatever it returned). */
  readonly accepted = new Set<string>();
  readonly dropped: string[] = [];
  readonly discardedByDispose = new Set<string>();
  /** `dispose()` was called (and may still be running: its events can call back). */
  disposing = false;
  disposed = false;
  private seq = 0;
  private lastStatus: Status;
  private sawStatus = false;
  private lastLifecycle: 'open' | 'close:retry' | 'close:final' | undefined;
  private wakes: number[] = [];
  private plan: Array<Reentry & { seen: number }>;

  constructor(
    readonly socket: Socket,
    readonly opts: Options,
    plan: Reentry[],
  ) {
    this.plan = plan.map((entry) => ({ ...entry, seen: 0 }));
    this.lastStatus = socket.status;
    const on = socket.on.bind(socket) as (e: Event, fn: (a?: unknown, b?: unknown) => void) => void;
    // Recorders first, so they see each dispatch before any listener can change the status.
    for (const event of EVENTS) on(event, (a, b) => this.record(event, a, b));
    for (const event of EVENTS) on(event, (a) => this.hook(event, a));
    socket.onMessage('news', () => this.hook('onMessage'));
    for (const handler of HANDLERS) socket[handler] = () => this.hook(handler);
  }

  problem(text: string): void {
    this.problems.push(`${text} [status ${this.socket.status}]`);
  }

  private record(event: Event, a: unknown, b: unknown): void {
    const s = this.socket.status;
    if (this.disposed) return this.problem(`'${event}' event after dispose()`);
    const must = (ok: boolean, what: string) => ok || this.problem(`${what} while ${s}`);
    if (event === 'status') {
      // The constructor's own move to `connecting` may have been announced before we listened.
      if (b !== this.lastStatus && (this.sawStatus || b !== 'idle'))
        this.problem(`status ${a} (previous ${b}) after status ${this.lastStatus}`);
      must(a === s, `status event '${a}'`);
      this.sawStatus = true;
      this.lastStatus = a as Status;
    } else if (event === 'open') {
      must(s === 'open', 'open event');
      if (this.lastLifecycle === 'open') this.problem('two open events without a close between');
      this.lastLifecycle = 'open';
    } else if (event === 'close') {
      const e = a as CloseEvent;
      const what = `close event ${e.code} "${e.reason}" willReconnect ${e.willReconnect}`;
      must(e.willReconnect ? s === 'reconnecting' || s === 'connecting' : s === 'closed', what);
      this.lastLifecycle = e.willReconnect ? 'close:retry' : 'close:final';
      this.checkTimeout(e);
    } else if (event === 'reconnecting') must(s === 'reconnecting' || s === 'connecting', event);
    else if (event === 'giveup') must(s === 'closed', 'giveup');
    else if (event === 'error') must(s !== 'idle' && s !== 'closed', 'error event');
    else if (event === 'message') must(s === 'open' || s === 'closing', 'message event');
    else if (event === 'drop') this.dropped.push((a as DropEvent).data as string);
    else if (event === 'wake') this.wakes.push(performance.now());
  }

  /** A timeout close comes after its full duration, on the connection it bounds. */
  private checkTimeout(e: CloseEvent): void {
    // The connection that ended: the newest one Lifeline let go of (a listener may have
    // started another meanwhile).
    const ws = FakeWebSocket.instances.filter((w) => w.onmessage === null).at(-1);
    const now = performance.now();
    if (!ws || !e.reason.endsWith(' timeout')) return;
    if (e.reason === 'connect timeout') {
      // The transport Lifeline closed for it (a listener may have started and abandoned
      // others since).
      const timedOut =
        FakeWebSocket.instances
          .filter((w) => w.closeCalls.some(([, r]) => r === e.reason))
          .at(-1) ?? ws;
      if (timedOut.openedAt !== undefined)
        this.problem('connect timeout closed an open connection');
      if (now - timedOut.createdAt < this.opts.connectTimeout)
        this.problem(`connect timeout after ${now - timedOut.createdAt} ms`);
    } else if (e.reason === 'close timeout') {
      const since = now - (ws.closeCalledAt[0] ?? now);
      if (since < this.opts.connectTimeout) this.problem(`close timeout ${since} ms after close`);
    } else if (e.reason === 'heartbeat timeout') {
      const pingAt = ws.sentAt.filter((_, i) => ws.sent[i] === PING).at(-1) ?? Number.NaN;
      // A frame in the very millisecond of the ping may have come before it: not counted.
      if (!(now - pingAt >= HEARTBEAT.timeout) || ws.receivedAt.some((t) => t > pingAt))
        this.problem(`heartbeat timeout ${now - pingAt} ms after a ping, or with a frame since`);
    }
  }

  private hook(hook: Hook, status?: unknown): void {
    for (const entry of this.plan) {
      if (entry.hook !== hook || (hook === 'status' && entry.when && entry.when !== status))
        continue;
      if (++entry.seen !== entry.nth) continue;
      try {
        if (entry.call === 'send') this.send();
        else if (entry.call === 'dispose') this.dispose();
        else if (entry.call !== 'throw') this.socket[entry.call]();
      } catch (error) {
        if (!(this.disposing && errorCode(error) === 'ERR_CLOSED'))
          this.problem(`${entry.call}() from a '${hook}' listener threw ${error}`);
      }
      if (entry.call === 'throw' || entry.thenThrow) {
        const error = new Error(`'${hook}' listener #${entry.nth} throws`);
        this.thrown.push(error);
        throw error;
      }
    }
  }

  send(): void {
    const payload = `m${++this.seq}`;
    let result: string;
    try {
      result = this.socket.send(payload);
    } catch (error) {
      const { queue } = this.opts;
      const allowed: unknown[] = [
        this.disposing && 'ERR_CLOSED',
        queue === false && 'ERR_NOT_OPEN',
        queue && queue.overflow === 'error' && 'ERR_QUEUE_FULL',
      ];
      if (!allowed.includes(errorCode(error))) this.problem(`send(${payload}) threw ${error}`);
      return;
    }
    this.accepted.add(payload);
    if (result === 'sent' && !FakeWebSocket.instances.some((ws) => ws.sent.includes(payload)))
      this.problem(`send(${payload}) returned 'sent', but no transport got it`);
    if (result === 'dropped' && !this.dropped.includes(payload))
      this.problem(`send(${payload}) returned 'dropped' without a drop event`);
  }

  dispose(): void {
    if (this.disposing) return this.socket.dispose(); // again, from one of its own events
    this.disposing = true;
    this.socket.dispose();
    this.disposed = true;
    // What the queue still held is gone with it, and must never go out.
    for (const payload of this.unsent()) this.discardedByDispose.add(payload);
  }

  private unsent(): string[] {
    const sent = new Set(FakeWebSocket.instances.flatMap((ws) => ws.sent));
    return [...this.accepted].filter((p) => !sent.has(p) && !this.dropped.includes(p));
  }

  /** Each accepted payload is sent once, or dropped once, or still queued; sends in order. */
  checkQueue(): void {
    const frames = FakeWebSocket.instances.flatMap((ws) => ws.sent.filter(isPayload));
    const seqs = frames.map((frame) => Number(frame.slice(1)));
    if (seqs.some((n, i) => i > 0 && n <= seqs[i - 1]!))
      this.problem(`sent out of order: ${frames.join(' ')}`);
    for (const payload of new Set([...frames, ...this.dropped])) {
      const times = frames.filter((f) => f === payload).length;
      const drops = this.dropped.filter((d) => d === payload).length;
      if (!this.accepted.has(payload)) this.problem(`${payload} went out, but send() refused it`);
      if (times + drops > 1) this.problem(`${payload} sent ${times}×, dropped ${drops}×`);
      if (times && this.discardedByDispose.has(payload))
        this.problem(`${payload} sent after dispose()`);
    }
    const pending = this.unsent().filter((p) => !this.discardedByDispose.has(p));
    if (!this.disposed && this.socket.queued !== pending.length) {
      const discarded = FakeWebSocket.instances.flatMap((ws) => ws.discarded).join(' ') || 'none';
      this.problem(
        `queued is ${this.socket.queued}, but ${pending.length} accepted payloads were neither sent nor dropped (${pending.join(' ')}); handed to a closing transport: ${discarded}`,
      );
    }
  }

  /** Heartbeat and connect timeout keep their durations on the monotonic clock. */
  checkClock(): void {
    const now = performance.now();
    const { interval, timeout } = HEARTBEAT;
    for (const ws of FakeWebSocket.live()) {
      if (ws.readyState === 0 && now - ws.createdAt > this.opts.connectTimeout)
        this.problem(`an attempt is still connecting after ${now - ws.createdAt} ms`);
      const silent = now - lastFrame(ws, now);
      // The ping follows within 1.25 intervals of silence (the timer looks 4 times per
      // interval), and the verdict `timeout` after it.
      if (this.opts.heartbeat && ws.readyState === 1 && silent > interval * 1.25 + timeout)
        this.problem(`open over a connection silent for ${silent} ms, heartbeat unaware`);
    }
    if (!this.opts.heartbeat) return;
    for (const ws of FakeWebSocket.instances)
      for (const [i, at] of ws.sentAt.entries()) {
        const silent = at - lastFrame(ws, at);
        if (ws.sent[i] === PING && silent < interval && !this.wakes.includes(at))
          this.problem(`ping after only ${silent} ms of silence (interval ${interval})`);
      }
  }

  /**
   * After a step, the status agrees with the last open/close event: `open` follows an open
   * event, `closed` a final close, and a connection that opened is not left without its close.
   */
  checkLifecycle(): void {
    const s = this.socket.status;
    const last = this.lastLifecycle;
    const ok =
      s === 'open'
        ? last === 'open'
        : s === 'closed'
          ? last === 'close:final'
          : s === 'idle' || s === 'closing' || last !== 'open';
    if (!this.disposed && !ok) this.problem(`status ${s} after a '${last ?? 'no'}' event`);
  }
}

function apply(run: Run, a: Action): void {
  const ws = FakeWebSocket.instances.at(-1);
  // Transitions of the transport Lifeline listens to, where its state allows them.
  const state = ws && ws.onmessage !== null ? ws.readyState : -1;
  const k = a.kind;
  if (k === 'open' && state === 0) ws!.open();
  else if (k === 'fail' && state >= 0 && state < 3) ws!.fail();
  else if (k === 'serverClose' && state >= 0 && state < 3) ws!.serverClose(a.code, '', a.clean);
  else if (k === 'finishClose' && state === 2) ws!.finishClose();
  else if (k === 'receive' && state === 1) ws!.receive('{"type":"news"}');
  else if (k === 'ping-reply' && state === 1) ws!.receive('{"type":"pong"}');
  else if (k === 'advance') vi.advanceTimersByTime(a.ms);
  // The wall clock alone: performance.now() and the timers do not move.
  else if (k === 'jump') vi.setSystemTime(Date.now() + a.ms);
  else if (k === 'offline' || k === 'online') {
    online = k === 'online';
    window.dispatchEvent(new Event(k));
  } else if (k === 'hide' || k === 'show') {
    visibility = k === 'hide' ? 'hidden' : 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
  } else if (k === 'resume') document.dispatchEvent(new Event('resume'));
  else if (k === 'sleep') {
    vi.setSystemTime(Date.now() + 60000);
    vi.advanceTimersByTime(5000);
  } else if (k === 'dispose') run.dispose();
  else if (k === 'send') run.send();
  else if (k === 'sendBurst') for (let i = 0; i < 4; i++) run.send();
  else if (k === 'connect' || k === 'close' || k === 'reconnect') {
    try {
      run.socket[k]();
    } catch (error) {
      // Only a disposed socket may refuse connect/reconnect.
      expect([run.disposed, errorCode(error)]).toEqual([true, 'ERR_CLOSED']);
    }
  }
}

function checkInvariant(run: Run): void {
  const { socket, disposed } = run;
  const live = FakeWebSocket.live();
  const timers = vi.getTimerCount();
  const status = socket.status;
  const state = `${disposed ? 'disposed, ' : ''}${status}, ${live.length} live transports, ${timers} timers`;
  expect(live.length, state).toBeLessThanOrEqual(1);
  if (disposed || status === 'closed' || status === 'idle')
    expect([live.length, timers, socket.readyState], state).toEqual([0, 0, 3]);
  else if (status === 'open')
    expect([live.length, live[0]?.readyState, socket.readyState], state).toEqual([1, 1, 1]);
  else if (status === 'closing') expect([live.length, socket.readyState], state).toEqual([1, 2]);
  else {
    // connecting / reconnecting: an attempt in flight, a timer that will make one, or an
    // offline wait that `online` ends (only a socket told to watch the network waits).
    expect(socket.readyState, state).toBe(0);
    const waitingForNetwork = !online && run.opts.network;
    expect(live.length + timers > 0 || waitingForNetwork, `stuck: ${state}`).toBe(true);
  }
}

/** Lets events that a socket defers to a microtask fire before the checks. */
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('lifecycle invariants (fast-check)', () => {
  it('no sequence of events, re-entrant calls, throwing listeners or clock jumps breaks them', async () => {
    const property = fc.asyncProperty(
      options,
      fc.array(reentry, { maxLength: 5 }),
      fc.array(action, { minLength: 1, maxLength: 60, size: 'max' }),
      async (opts, plan, actions) => {
        FakeWebSocket.reset();
        online = true;
        visibility = 'visible';
        const { heartbeat, maxAttempts, ...rest } = opts;
        const socket = new Socket('wss://example.test/ws', {
          ...rest,
          WebSocket: FakeWS,
          heartbeat: heartbeat && HEARTBEAT,
          reconnect: { maxAttempts },
        });
        const run = new Run(socket, opts, plan);
        current = run;
        try {
          for (const a of [{ kind: 'advance', ms: 0 } as const, ...actions]) {
            apply(run, a);
            await settle();
            checkInvariant(run);
            run.checkQueue();
            run.checkClock();
            run.checkLifecycle();
            if (run.problems.length > 0) expect.fail(run.problems.join('\n'));
            // Exactly the errors the listeners threw, each once, in order.
            expect(run.reported.length).toBe(run.thrown.length);
            for (const [i, error] of run.reported.entries()) expect(error).toBe(run.thrown[i]);
          }
        } finally {
          socket.dispose();
          vi.clearAllTimers();
          current = undefined;
        }
        expect(socket.eventNames()).toEqual([]);
      },
    );
    await fc.assert(property, { numRuns: 500 });
  }, 60_000);
});
