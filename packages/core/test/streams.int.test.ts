// Stream subscriptions (DESIGN §8) against a real `ws` server that plays the server side of
// the protocol (streams-server.ts): the first position, replay after a reconnect, duplicates,
// gaps healed on the same connection, resyncs, the order of frames after a reconnect, cuts at
// the worst moments, ref-counted handles and routing.
import { LifelineError, Socket, type SocketOptions, type Subscription } from '@lifeline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import { until } from '../../../test/support/wait';
import { delay } from '../../../test/support/ws-server';
import { type Frame, type StreamServer, startStreamServer } from './streams-server';

const WebSocket = WS as never;
const cleanup: Array<() => unknown> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function server(): Promise<StreamServer> {
  const started = await startStreamServer();
  cleanup.push(() => started.close());
  return started;
}

function socket(srv: StreamServer, options: SocketOptions = {}): Socket {
  const made = new Socket(srv.url(), {
    WebSocket,
    // Long enough that a test sees the drop (and publishes meanwhile) before the reconnect.
    reconnect: { initialDelay: 150, maxDelay: 150, jitter: 'none' },
    ...options,
  });
  cleanup.push(() => made.dispose());
  return made;
}

/** A subscription whose handler records `seq:data` of every message. */
function record(s: Socket, stream = 'room:1'): { sub: Subscription; got: string[] } {
  const got: string[] = [];
  const sub = s.subscribe(stream, (data, message) => got.push(`${message.seq}:${data}`));
  return { sub, got };
}

const subscribesOf = (srv: StreamServer) =>
  srv.frames.filter(({ frame }) => frame.type === 'subscribe');
const since = (frame: Frame) => (frame.data as { since?: unknown }).since;

describe('streams against a real server', () => {
  it('stores the head of the first reply as the position, with no messages', async () => {
    const srv = await server();
    for (const n of [1, 2, 3]) srv.publish('room:1', `old${n}`);
    const s = socket(srv);
    const { sub, got } = record(s);
    await until(() => sub.status === 'live', 'live');
    expect(sub.position).toEqual(srv.head('room:1'));
    expect(sub.position?.seq).toBe('3');
    srv.publish('room:1', 'new');
    await until(() => got.length === 1, 'the live message');
    expect(got).toEqual(['4:new']);
  });

  it('replays what was missed while down, in order, without duplicates', async () => {
    const srv = await server();
    const s = socket(srv);
    const { sub, got } = record(s);
    await until(() => sub.status === 'live', 'live');
    for (const n of [1, 2, 3]) srv.publish('room:1', n);
    await until(() => got.length === 3, 'three live messages');
    srv.server.terminateAll();
    await until(() => sub.status === 'subscribing', 'the drop');
    for (const n of [4, 5, 6]) srv.publish('room:1', n);
    await until(() => sub.status === 'live', 'live again');
    srv.publish('room:1', 7);
    await until(() => got.length === 7, 'replay and live');
    expect(got).toEqual(['1:1', '2:2', '3:3', '4:4', '5:5', '6:6', '7:7']);
    const resume = subscribesOf(srv).at(-1)!;
    expect(resume.connection).toBe(2);
    expect(since(resume.frame)).toEqual({ epoch: sub.position!.epoch, seq: '3' });
    expect(sub.duplicates).toBe(0);
  });

  it('drops duplicates the server sends', async () => {
    const srv = await server();
    const s = socket(srv);
    const { sub, got } = record(s);
    await until(() => sub.status === 'live', 'live');
    const one = srv.publish('room:1', 'a');
    const two = srv.publish('room:1', 'b');
    srv.resend(one);
    srv.resend(two);
    srv.publish('room:1', 'c');
    await until(() => got.length >= 3, 'three messages');
    await until(() => sub.duplicates === 2, 'duplicates counted');
    expect(got).toEqual(['1:a', '2:b', '3:c']);
  });

  it('heals a gap: gap event, re-subscribe on the same connection, missing messages filled', async () => {
    const srv = await server();
    const s = socket(srv);
    const { sub, got } = record(s);
    const gaps: unknown[] = [];
    sub.on('gap', (gap) => gaps.push(gap));
    await until(() => sub.status === 'live', 'live');
    srv.publish('room:1', 'a');
    srv.publish('room:1', 'b', { withhold: true });
    srv.publish('room:1', 'c', { withhold: true });
    srv.publish('room:1', 'd');
    await until(() => got.length === 4, 'the gap filled');
    srv.publish('room:1', 'e');
    await until(() => got.length === 5, 'the next live message');
    expect(got).toEqual(['1:a', '2:b', '3:c', '4:d', '5:e']);
    expect(gaps).toEqual([{ from: '2', to: '3' }]);
    const subscribes = subscribesOf(srv);
    expect(subscribes.map(({ connection }) => connection)).toEqual([1, 1]);
    expect(since(subscribes[1]!.frame)).toEqual({ epoch: sub.position!.epoch, seq: '1' });
    expect(srv.connections).toBe(1);
  });

  it('an epoch change while live resyncs exactly once', async () => {
    const srv = await server();
    const s = socket(srv);
    const { sub, got } = record(s);
    const resyncs: unknown[] = [];
    sub.on('resync', (event) => resyncs.push(event));
    await until(() => sub.status === 'live', 'live');
    srv.publish('room:1', 'a');
    srv.publish('room:1', 'b');
    await until(() => got.length === 2, 'two messages');
    srv.restartHistory('room:1');
    srv.publish('room:1', 'x'); // new epoch, seq 1: triggers the re-subscribe
    srv.publish('room:1', 'y');
    await until(() => resyncs.length === 1, 'the resync');
    srv.publish('room:1', 'z');
    await until(() => got.length === 3, 'the message after the resync');
    await delay(50);
    expect(resyncs).toEqual([{ position: { epoch: srv.head('room:1').epoch, seq: '2' } }]);
    expect(got).toEqual(['1:a', '2:b', '3:z']);
  });

  it('a resume the server cannot honour (recovered: false) resyncs exactly once', async () => {
    const srv = await server();
    const s = socket(srv);
    const { sub, got } = record(s);
    const resyncs: unknown[] = [];
    sub.on('resync', (event) => resyncs.push(event));
    await until(() => sub.status === 'live', 'live');
    srv.publish('room:1', 'a');
    await until(() => got.length === 1, 'one message');
    srv.server.terminateAll();
    await until(() => sub.status === 'subscribing', 'the drop');
    srv.publish('room:1', 'lost');
    srv.forget('room:1');
    await until(() => resyncs.length === 1, 'the resync');
    srv.publish('room:1', 'c');
    await until(() => got.length === 2, 'the next message');
    await delay(50);
    expect(resyncs).toEqual([{ position: { epoch: srv.head('room:1').epoch, seq: '2' } }]);
    expect(got).toEqual(['1:a', '3:c']);
  });

  it('after a reconnect: subscribes first, then the unanswered request, then the queue', async () => {
    const srv = await server();
    // The first copy of the request is swallowed, so it is still unanswered at the drop.
    let swallowed = false;
    srv.onFrame = (frame) => {
      if (frame.type !== 'sum' || swallowed) return true;
      swallowed = true;
      return false;
    };
    const s = socket(srv);
    const { sub } = record(s);
    record(s, 'room:2');
    await until(() => sub.status === 'live', 'live');
    const answer = s.request('sum', 5);
    await until(() => swallowed, 'the request on the first connection');
    srv.server.terminateAll();
    await until(() => s.status === 'reconnecting', 'reconnecting');
    s.sendJson('note', 'queued while down');
    expect(await answer).toBe(5);
    const second = srv.frames
      .filter(({ connection }) => connection === 2)
      .map(({ frame }) => frame.type);
    expect(second).toEqual(['subscribe', 'subscribe', 'sum', 'note']);
  });

  it('a cut right after the client sent its subscribe: subscribes again, nothing half-done', async () => {
    const srv = await server();
    srv.publish('room:1', 'a');
    let cuts = 0;
    srv.onFrame = (frame, ws) => {
      if (frame.type !== 'subscribe' || cuts > 0) return true;
      cuts++;
      ws.terminate();
      return false;
    };
    const s = socket(srv);
    const { sub, got } = record(s);
    const statuses: string[] = [];
    sub.on('status', (status) => statuses.push(status));
    await until(() => sub.status === 'live', 'live');
    expect(statuses).toEqual(['live']);
    expect(subscribesOf(srv).map(({ connection, frame }) => [connection, since(frame)])).toEqual([
      [1, undefined],
      [2, undefined],
    ]);
    expect(sub.position?.seq).toBe('1');
    srv.publish('room:1', 'b');
    await until(() => got.length === 1, 'a live message');
    expect(got).toEqual(['2:b']);
  });

  it('a cut right after the server sent its reply: resumes from that position, nothing twice', async () => {
    const srv = await server();
    const s = socket(srv);
    const { sub, got } = record(s);
    await until(() => sub.status === 'live', 'live');
    srv.publish('room:1', 'a');
    await until(() => got.length === 1, 'one message');
    srv.server.terminateAll();
    await until(() => sub.status === 'subscribing', 'the drop');
    srv.publish('room:1', 'b');
    srv.publish('room:1', 'c');
    // The resume's reply goes out, then the connection dies before the replay.
    let cuts = 0;
    srv.afterReply = (ws) => {
      if (cuts++ === 0) ws.terminate();
    };
    await until(() => got.length === 3, 'the replay on the third connection');
    srv.publish('room:1', 'd');
    await until(() => got.length === 4, 'live again');
    expect(got).toEqual(['1:a', '2:b', '3:c', '4:d']);
    const resumes = subscribesOf(srv).filter(({ connection }) => connection > 1);
    expect(resumes.map(({ frame }) => (since(frame) as { seq: string }).seq)).toEqual(['1', '1']);
  });

  it('handles share one wire subscription; the last unsubscribe sends the frame', async () => {
    const srv = await server();
    const s = socket(srv);
    const a = record(s);
    const b = record(s);
    await until(() => a.sub.status === 'live' && b.sub.status === 'live', 'live');
    expect(subscribesOf(srv)).toHaveLength(1);
    srv.publish('room:1', 'one');
    await until(() => b.got.length === 1, 'first message');
    a.sub.unsubscribe();
    srv.publish('room:1', 'two');
    await until(() => b.got.length === 2, 'second message');
    b.sub.unsubscribe();
    await until(() => srv.frames.some(({ frame }) => frame.type === 'unsubscribe'), 'unsubscribe');
    expect(srv.frames.filter(({ frame }) => frame.type === 'unsubscribe')).toEqual([
      { connection: 1, frame: { type: 'unsubscribe', data: { stream: 'room:1' } } },
    ]);
    expect(a.got).toEqual(['1:one']);
    expect(b.got).toEqual(['1:one', '2:two']);
  });

  it('stream messages and subscribe replies never reach onMessage handlers', async () => {
    const srv = await server();
    const s = socket(srv);
    const typed: unknown[] = [];
    const all: unknown[] = [];
    s.onMessage('chat', (data) => typed.push(data));
    s.onMessage('*', (envelope) => all.push(envelope.type));
    let raw = 0;
    s.on('message', () => raw++);
    const { sub, got } = record(s);
    await until(() => sub.status === 'live', 'live');
    srv.publish('room:1', 'streamed');
    srv.publish('room:9', 'nobody subscribed');
    srv.broadcast({ type: 'chat', data: 'plain' });
    await until(() => typed.length === 1, 'the plain event');
    expect(got).toEqual(['1:streamed']);
    expect(typed).toEqual(['plain']);
    expect(all).toEqual(['chat']);
    expect(raw).toBe(3); // reply, stream message, plain event: every frame is still a `message`
  });

  it('a refused subscribe emits ERR_REMOTE and closes', async () => {
    const srv = await server();
    const s = socket(srv);
    const sub = s.subscribe('secret:1');
    const errors: LifelineError[] = [];
    sub.on('error', (error) => errors.push(error as LifelineError));
    await until(() => sub.status === 'closed', 'closed');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(LifelineError);
    expect(errors[0]).toMatchObject({ code: 'ERR_REMOTE', remote: { code: 'FORBIDDEN' } });
  });
});
