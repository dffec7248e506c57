// Random fault sequences against one stream subscription, over a FakeWebSocket driven by a
// scripted server that follows DESIGN §8 (reply with the head, replay after `since`, replace
// on re-subscribe, recovered:false past its window or across epochs) behind a faulty channel
// that drops, duplicates and reorders what it sends. Whatever happens:
// - the app sees, within an epoch, every seq after its position exactly once and in order:
//   each message is position + 1, unless a `resync` moved the position first;
// - once the faults stop, the subscription catches up to the server's head and is live.
// Run once more with `streamSchemas` on (a valibot schema that fails every seq ending in 3 or 7):
// a failed message is reported as `invalid` in its turn, never delivered, never skipped
// silently, and the position stays before it while it is the last one.
import fc from 'fast-check';
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../src/envelope';
import { Socket } from '../src/socket';
import type { StreamPosition } from '../src/types';
import type { InvalidEvent } from '../src/validation/types';
import { FakeWebSocket, FakeWS } from './support/fake-websocket';

const STREAM = 'room:1';
const ACTIONS = [
  'publish',
  'publish',
  'publish',
  'publishLost', // appended, never sent live: a gap
  'duplicate', // an old message again
  'reorder', // two new messages, swapped
  'staleEpoch', // a message of the previous epoch arrives late
  'newEpoch', // the server's history restarts
  'trim', // the server forgets its oldest messages
  'drop', // the connection dies
  'closeConnect', // the app closes and connects again
] as const;
type Action = (typeof ACTIONS)[number];
type Fault = 'ok' | 'drop' | 'dup' | 'hold';

interface Message {
  epoch: string;
  seq: string;
}

/** The server side of the protocol, with a faulty channel in front of the client. */
class ScriptedServer {
  epoch = 'e0';
  epochs = 0;
  log: Message[] = [];
  /** Seqs at or below this one were forgotten. */
  trimmed = 0;
  previous: Message[] = [];
  private _read = new Map<FakeWebSocket, number>();
  private _subscribed = new Set<FakeWebSocket>();
  private _held: string[] = [];
  private _fault = 0;
  faulty = true;

  constructor(private readonly _faults: Fault[]) {}

  get head(): number {
    return this.log.length;
  }

  /** Sends through the channel: dropped, doubled or held back for a while when faulty. */
  send(ws: FakeWebSocket, frame: string): void {
    if (ws.readyState !== 1) return;
    // Each fault is used once: a channel that failed forever would never let a replay through.
    const fault = this.faulty ? (this._faults[this._fault++] ?? 'ok') : 'ok';
    if (fault === 'drop') return;
    if (fault === 'hold') {
      this._held.push(frame);
      return;
    }
    ws.receive(frame);
    if (fault === 'dup') ws.receive(frame);
    // Whatever was held back arrives after a newer frame: reordered.
    if (this._held.length > 0 && fault === 'ok')
      for (const held of this._held.splice(0)) ws.receive(held);
  }

  frame(message: Message): string {
    const { epoch, seq } = message;
    return JSON.stringify({ type: 'chat', stream: STREAM, epoch, seq, data: `${epoch}:${seq}` });
  }

  append(): Message {
    const message = { epoch: this.epoch, seq: String(this.log.length + 1) };
    this.log.push(message);
    return message;
  }

  publish(ws: FakeWebSocket | undefined, sent = true): Message {
    const message = this.append();
    if (sent && ws && this._subscribed.has(ws)) this.send(ws, this.frame(message));
    return message;
  }

  restartHistory(): void {
    this.previous = this.log;
    this.epoch = `e${++this.epochs}`;
    this.log = [];
    this.trimmed = 0;
  }

  forgetHeld(): void {
    this._held = [];
  }

  /** Answers every frame the client sent on `ws` since the last call. */
  pump(ws: FakeWebSocket): void {
    for (let rounds = 0; ; rounds++) {
      if (rounds > 1000) throw new Error('the client keeps subscribing: a livelock');
      const from = this._read.get(ws) ?? 0;
      if (from >= ws.sent.length || ws.readyState !== 1) return;
      this._read.set(ws, from + 1);
      const frame = JSON.parse(ws.sent[from] as string) as Envelope;
      if (frame.type === 'unsubscribe') this._subscribed.delete(ws);
      if (frame.type !== 'subscribe') continue;
      const { since } = frame.data as { since?: { epoch: string; seq: string } };
      const head = this.head;
      const recovered =
        !since ||
        (since.epoch === this.epoch &&
          Number(since.seq) >= this.trimmed &&
          Number(since.seq) <= head);
      this._subscribed.add(ws);
      ws.receive(
        JSON.stringify({
          type: 'subscribe',
          re: frame.id,
          data: { epoch: this.epoch, seq: String(head), recovered },
        }),
      );
      if (since && recovered)
        for (const message of this.log.slice(Number(since.seq))) this.send(ws, this.frame(message));
    }
  }
}

/** Checks every message against the app's own running position. */
class AppView {
  position: StreamPosition | undefined;
  delivered = 0;
  resyncs = 0;

  message(data: unknown, message: Envelope): void {
    const position = this.position;
    expect(position, 'a message before the first reply').toBeDefined();
    expect(`${message.epoch}:${message.seq}`).toBe(
      `${position!.epoch}:${BigInt(position!.seq) + 1n}`,
    );
    expect(data).toBe(`${message.epoch}:${message.seq}`);
    this.position = { epoch: message.epoch!, seq: message.seq! };
    this.delivered++;
    this.reported = undefined;
  }

  /** The seq of the last message handled, when it was reported invalid (not delivered). */
  reported: string | undefined;

  /** A message reported as invalid counts as handled when it is the next one. */
  invalid({ envelope }: InvalidEvent): void {
    const position = this.position!;
    const next = `${position.epoch}:${BigInt(position.seq) + 1n}`;
    const seq = `${envelope.epoch}:${envelope.seq}`;
    // Reported again when replayed (at or before the app's position), never ahead of it.
    if (envelope.epoch === position.epoch && BigInt(envelope.seq!) <= BigInt(position.seq)) return;
    expect(seq).toBe(next);
    expect(rejected(envelope.seq!)).toBe(true);
    this.position = { epoch: envelope.epoch!, seq: envelope.seq! };
    this.reported = envelope.seq;
    this.invalids++;
  }

  invalids = 0;
}

/** The messages the validation-on runs' schema fails. */
const rejected = (seq: string) => seq.endsWith('3') || seq.endsWith('7');
const failsSome = v.pipe(
  v.string(),
  v.check((data) => !rejected(data)),
);

/** What the runs went through, so a generator that stops producing faults fails the test. */
const seen = { delivered: 0, resyncs: 0, gaps: 0, duplicates: 0, invalids: 0 };

beforeEach(() => {
  FakeWebSocket.reset();
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function run(actions: Action[], faults: Fault[], validate = false): void {
  const server = new ScriptedServer(faults);
  const socket = new Socket('wss://example.test/ws', {
    WebSocket: FakeWS,
    reconnect: { jitter: 'none', initialDelay: 10, maxDelay: 10 },
    network: false,
    wake: false,
    ...(validate && { streamSchemas: { 'room:*': { chat: failsSome } } }),
  });
  const app = new AppView();
  socket.on('invalid', (event) => app.invalid(event));
  const sub = socket.subscribe(STREAM, (data, message) => app.message(data, message));
  sub.on('status', (status) => {
    if (status === 'live' && !app.position) app.position = sub.position;
  });
  sub.on('gap', () => seen.gaps++);
  sub.on('resync', ({ position }) => {
    app.resyncs++;
    app.position = position;
    app.reported = undefined;
  });
  const current = () => FakeWebSocket.last;
  const connect = () => {
    vi.advanceTimersByTime(10);
    current().open();
    server.pump(current());
  };
  connect();
  try {
    for (const action of actions) {
      const ws = current();
      switch (action) {
        case 'publish':
          server.publish(ws);
          break;
        case 'publishLost':
          server.publish(ws, false);
          break;
        case 'duplicate': {
          const old = server.log[Math.floor(server.log.length / 2)];
          if (old) server.send(ws, server.frame(old));
          break;
        }
        case 'reorder': {
          const a = server.append();
          const b = server.append();
          ws.receive(server.frame(b));
          ws.receive(server.frame(a));
          break;
        }
        case 'staleEpoch': {
          const old = server.previous.at(-1);
          if (old) ws.receive(server.frame(old));
          break;
        }
        case 'newEpoch':
          server.restartHistory();
          break;
        case 'trim':
          server.trimmed = server.head;
          break;
        case 'drop':
          ws.fail();
          server.forgetHeld();
          connect();
          break;
        case 'closeConnect':
          socket.close();
          ws.finishClose();
          server.forgetHeld();
          socket.connect();
          connect();
          break;
      }
      server.pump(current());
    }
    // The faults stop; one more message reveals whatever is still missing, and the
    // subscription catches up to the head.
    server.faulty = false;
    server.forgetHeld();
    server.publish(current());
    server.pump(current());
    expect(sub.status).toBe('live');
    // A head that failed its schema was reported, not consumed: the position stays before it.
    const head = String(server.head);
    const last = app.reported === head;
    expect(sub.position).toEqual({
      epoch: server.epoch,
      seq: last ? String(server.head - 1) : head,
    });
    expect(app.position).toEqual({ epoch: server.epoch, seq: head });
    seen.invalids += app.invalids;
    seen.delivered += app.delivered;
    seen.resyncs += app.resyncs;
    seen.duplicates += sub.duplicates;
  } finally {
    socket.dispose();
  }
  expect(vi.getTimerCount()).toBe(0);
}

/** Random actions, and the faults the server applies to its frames in turn (mostly none). */
const actionsArb = fc.array(fc.constantFrom(...ACTIONS), { maxLength: 60 });
const faultsArb = fc.array(fc.constantFrom<Fault>('ok', 'ok', 'ok', 'drop', 'dup', 'hold'), {
  minLength: 1,
  maxLength: 20,
});

describe('stream subscription under random faults', () => {
  it('is gap-free and duplicate-free within an epoch, or resyncs, and catches up', () => {
    fc.assert(
      fc.property(actionsArb, faultsArb, (actions, faults) => run(actions, faults)),
      { numRuns: 300 },
    );
    expect(seen.delivered).toBeGreaterThan(500);
    expect(seen.gaps).toBeGreaterThan(50);
    expect(seen.resyncs).toBeGreaterThan(50);
    expect(seen.duplicates).toBeGreaterThan(50);
  });

  it('with stream schemas on: 0 throws, each failed message reported in its turn, the rest as before', () => {
    const before = { ...seen };
    fc.assert(
      fc.property(actionsArb, faultsArb, (actions, faults) => run(actions, faults, true)),
      { numRuns: 300 },
    );
    expect(seen.invalids - before.invalids).toBeGreaterThan(10);
    expect(seen.delivered - before.delivered).toBeGreaterThan(500);
    expect(seen.gaps - before.gaps).toBeGreaterThan(50);
  });

  it('without faults, delivers every message once and never resyncs', () => {
    const before = { ...seen };
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<Action>('publish', 'drop', 'closeConnect'), { maxLength: 40 }),
        (actions) => run(actions, ['ok']),
      ),
      { numRuns: 100 },
    );
    expect(seen.resyncs).toBe(before.resyncs);
    expect(seen.gaps).toBe(before.gaps);
    expect(seen.delivered).toBeGreaterThan(before.delivered);
  });
});
