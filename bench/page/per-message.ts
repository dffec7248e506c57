// Per-message cost over the fake transport: library code only, no network, no I/O waits.
import { Socket } from '@lifeline/core';
import type { BenchClient, LibAdapter } from '../libs/index';
import { undisturbedMean } from '../stats';
import { FakeTransport, FakeWebSocket } from './fake-transport';
import { deferred, envelopeOfSize, within } from './timing';

const PAYLOAD = envelopeOfSize(64);

/** The page clock's step (ms): `performance.now()` is coarsened to 0.1 ms outside isolation. */
const CLOCK_STEP_MS = 0.1;
/**
 * Messages per receive chunk: ~3 ms over the fake transport, short enough that many chunks run
 * undisturbed even on a loaded machine, long enough that a clock step is a few percent of one.
 */
const RECEIVE_CHUNK = 2000;

/**
 * Times `count` deliveries in chunks of `RECEIVE_CHUNK` (`deliver(from, n)` delivers messages
 * `from` … `from + n - 1`) and returns ns per message over the chunks no other process and no
 * GC pause interrupted (`undisturbedMean`).
 */
export function timeInChunks(count: number, deliver: (from: number, n: number) => void): number {
  const durations: number[] = [];
  const sizes: number[] = [];
  for (let done = 0; done < count; done += RECEIVE_CHUNK) {
    const n = Math.min(RECEIVE_CHUNK, count - done);
    const start = performance.now();
    deliver(done, n);
    durations.push(performance.now() - start);
    sizes.push(n);
  }
  return undisturbedMean(durations, sizes, CLOCK_STEP_MS) * 1e6;
}

/** Receives `count` copies of `data`, timed in chunks. */
const timeReceive = (fake: FakeWebSocket, count: number, data: string): number =>
  timeInChunks(count, (_from, n) => fake.receive(n, data));

/** A timed chunk of sends lasts at least this long (ms), like a receive chunk. */
const SEND_CHUNK_MS = 2;

/**
 * ns per `send`, timed like receives. Sends cost a few ns: the chunk doubles from `count`
 * until one lasts `SEND_CHUNK_MS` (warming up on the way), and as many chunks of that size as
 * a receive sample of `count` has are timed; one that runs under half of it (the code got
 * faster) doubles the size again and restarts the timing.
 */
function timeSend(client: BenchClient, count: number, data: string): { ns: number; sent: number } {
  let size = count;
  let sent = 0;
  const chunk = () => {
    const start = performance.now();
    sendMany(client, data, size);
    sent += size;
    return performance.now() - start;
  };
  while (chunk() < SEND_CHUNK_MS) size *= 2;
  const durations: number[] = [];
  const chunks = Math.ceil(count / RECEIVE_CHUNK);
  while (durations.length < chunks) {
    const ms = chunk();
    // The JIT can finish optimising after the chunk was sized, and a loop of sends that only
    // count then runs in a clock step or less: read as 0 ns. Size again and start over.
    if (ms < SEND_CHUNK_MS / 2 && size < 2 ** 30) {
      size *= 2;
      durations.length = 0;
    } else durations.push(ms);
  }
  const sizes = durations.map(() => size);
  return { ns: undisturbedMean(durations, sizes, CLOCK_STEP_MS) * 1e6, sent };
}

/**
 * The timed loop, with everything it reads in parameters: a loop in a closure reloads captured
 * variables around every call it cannot inline, which would charge the harness's own reads to
 * libraries whose `send` is too deep to inline.
 */
function sendMany(client: BenchClient, data: string, count: number): void {
  for (let i = 0; i < count; i++) client.send(data);
}

/** Opens a client of `adapter` over a fresh fake transport and returns both once open. */
async function openOverFake(adapter: LibAdapter, onMessage: (data: unknown) => void) {
  const opened = deferred();
  FakeWebSocket.last = undefined;
  const client = adapter.create(
    'ws://fake.invalid/',
    { open: opened.resolve, message: onMessage },
    FakeTransport,
  );
  await within(opened.promise, 2000, `${adapter.name} to open over the fake transport`);
  const fake = FakeWebSocket.last;
  if (!fake) throw new Error(`${adapter.name} did not construct the injected transport`);
  return { client, fake: fake as FakeWebSocket };
}

/** ns per message for `count` messages in one direction; throws if any went missing. */
export async function perMessage(
  adapter: LibAdapter,
  direction: 'receive' | 'send',
  count: number,
) {
  let received = 0;
  const { client, fake } = await openOverFake(adapter, () => {
    received++;
  });
  let ns: number;
  let expected = count;
  if (direction === 'receive') ns = timeReceive(fake, count, PAYLOAD);
  else ({ ns, sent: expected } = timeSend(client, count, PAYLOAD));
  client.close();
  const delivered = direction === 'receive' ? received : fake.sent;
  if (delivered !== expected) {
    throw new Error(`${adapter.name} ${direction}: ${delivered} of ${expected} messages arrived`);
  }
  return ns;
}

const ENVELOPE = JSON.stringify({ type: 'chat', data: { room: 'general', text: 'hello there' } });

/** ns per envelope decoded and dispatched to the `chat` handler. */
export async function routing(router: 'lifeline' | 'hand-written', count: number) {
  let chats = 0;
  let others = 0;
  const onChat = (data: unknown) => {
    if (data) chats++;
  };
  const onOther = () => {
    others++;
  };
  FakeWebSocket.last = undefined;
  let dispose: () => void;
  if (router === 'lifeline') {
    const socket = new Socket('ws://fake.invalid/', { WebSocket: FakeTransport });
    socket.onMessage('chat', onChat);
    socket.onMessage('presence', onOther);
    socket.onMessage('typing', onOther);
    await within(new Promise((done) => socket.on('open', done)), 2000, 'Lifeline to open');
    dispose = () => socket.close();
  } else {
    const ws = new FakeWebSocket('ws://fake.invalid/');
    // The hand-written baseline an application would write without a library.
    ws.onmessage = (event) => {
      const message = JSON.parse((event as MessageEvent).data);
      if (typeof message !== 'object' || message === null) return;
      switch (message.type) {
        case 'chat':
          onChat(message.data);
          break;
        case 'presence':
        case 'typing':
          onOther();
          break;
      }
    };
    await within(new Promise((done) => ws.addEventListener('open', done)), 2000, 'fake to open');
    dispose = () => ws.close();
  }
  const fake = FakeWebSocket.last as FakeWebSocket | undefined;
  if (!fake) throw new Error(`${router}: no transport constructed`);
  const ns = timeReceive(fake, count, ENVELOPE);
  dispose();
  if (chats !== count || others !== 0) {
    throw new Error(`${router} routing: ${chats} of ${count} chats routed, ${others} misrouted`);
  }
  return ns;
}
