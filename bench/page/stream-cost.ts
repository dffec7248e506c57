// Per-message cost of a stream message against a plain `onMessage` route, over the fake
// transport: one `Socket` each, the same delivery loop and chunked timing as the receive rows;
// only the envelope's route differs (a subscription's position check, or the type's handlers).
// The same frames parsed by a hand-written handler show what the larger frame costs by itself.
import { Socket } from '@lifeline/core';
import { FakeWebSocket } from './fake-transport';
import { timeInChunks } from './per-message';
import { envelopeOfSize, within } from './timing';

/** The data of the 64 B receive envelope, so both routes carry what the receive rows carry. */
const DATA = JSON.parse(envelopeOfSize(64)).data as unknown;
const STREAM = 's';

/** The fake transport, also keeping what the socket sent (the subscribe frame to answer). */
class RecordingWebSocket extends FakeWebSocket {
  readonly frames: unknown[] = [];
  override send(data: unknown): void {
    super.send(data);
    this.frames.push(data);
  }
}

/**
 * One distinct, flat string per message (`JSON.stringify`, as a socket's frames are): both
 * routes hold as many strings alive and parse each once.
 */
function framesOf(route: 'onMessage' | 'stream', count: number): string[] {
  const frames = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    frames[i] =
      route === 'stream'
        ? JSON.stringify({ type: 't', stream: STREAM, epoch: 'e', seq: String(i + 1), data: DATA })
        : JSON.stringify({ type: 't', data: DATA });
  }
  return frames;
}

/** Resolves once `ready()` holds, checking every millisecond. */
async function until(ready: () => boolean, what: string): Promise<void> {
  const poll = async () => {
    while (!ready()) await new Promise((done) => setTimeout(done, 1));
  };
  await within(poll(), 2000, what);
}

/** Answers the socket's subscribe request as a server would: head `0`, nothing to replay. */
function answerSubscribe(fake: RecordingWebSocket): void {
  const request = fake.frames
    .map((frame) => JSON.parse(String(frame)) as { type?: string; id?: string })
    .find((frame) => frame.type === 'subscribe');
  if (!request?.id) throw new Error('stream cost: the socket sent no subscribe request');
  const reply = {
    type: 'subscribe',
    re: request.id,
    data: { epoch: 'e', seq: '0', recovered: true },
  };
  fake.receiveEach([JSON.stringify(reply)], 0, 1);
}

/** Lifeline's two routes, and each one's frames handled by hand (no library). */
export type StreamCostRoute = 'onMessage' | 'stream' | 'plainByHand' | 'streamByHand';

/** ns per message delivered to the app through `route`; throws if any went missing. */
export async function streamCost(route: StreamCostRoute, count: number): Promise<number> {
  if (route === 'plainByHand' || route === 'streamByHand') return byHand(route, count);
  const frames = framesOf(route, count);
  FakeWebSocket.last = undefined;
  const socket = new Socket('ws://fake.invalid/', {
    WebSocket: RecordingWebSocket as unknown as typeof WebSocket,
  });
  let received = 0;
  const handler = () => {
    received++;
  };
  const subscription = route === 'stream' ? socket.subscribe(STREAM, handler) : undefined;
  if (route === 'onMessage') socket.onMessage('t', handler);
  try {
    await until(() => socket.readyState === 1, 'the socket to open over the fake transport');
    const fake = FakeWebSocket.last as RecordingWebSocket | undefined;
    if (!fake) throw new Error('stream cost: no transport constructed');
    if (subscription) {
      await until(() => fake.frames.length > 0, 'the subscribe request');
      answerSubscribe(fake);
      await until(() => subscription.status === 'live', 'the subscription to go live');
    }
    // The receive rows' timing, over distinct frames.
    const ns = timeInChunks(count, (from, n) => fake.receiveEach(frames, from, n));
    const last = subscription?.position?.seq;
    if (received !== count || (subscription && (last !== String(count) || subscription.duplicates)))
      throw new Error(`stream cost (${route}): ${received} of ${count} delivered, at seq ${last}`);
    return ns;
  } finally {
    socket.dispose();
  }
}

/**
 * The frames of a route without Lifeline: one hand-written handler for both, `JSON.parse` and
 * the checks an app would write (the type; for a stream frame its name, epoch and next seq),
 * so the two differ only in the frame parsed.
 */
async function byHand(route: 'plainByHand' | 'streamByHand', count: number): Promise<number> {
  const frames = framesOf(route === 'streamByHand' ? 'stream' : 'onMessage', count);
  FakeWebSocket.last = undefined;
  const fake = new FakeWebSocket('ws://fake.invalid/');
  let received = 0;
  let seq = 0;
  fake.onmessage = (event) => {
    const message = JSON.parse((event as MessageEvent).data);
    if (typeof message !== 'object' || message === null || message.type !== 't') return;
    if (message.stream === undefined) received++;
    else if (message.stream === STREAM && message.epoch === 'e' && +message.seq === seq + 1) {
      seq++;
      received++;
    }
  };
  try {
    await until(() => fake.readyState === 1, 'the fake transport to open');
    const ns = timeInChunks(count, (from, n) => fake.receiveEach(frames, from, n));
    if (received !== count)
      throw new Error(`stream cost (${route}): ${received} of ${count} handled`);
    return ns;
  } finally {
    fake.close();
  }
}
