// Replay throughput: a client subscribed to a stream goes down, the server publishes meanwhile,
// and on reconnect every missed message is replayed. Timed from `open` to the last delivery.
// Lifeline (`socket.subscribe`, resuming by itself) against a hand-written native `WebSocket`
// speaking the same protocol: parse each frame, count those of the stream.
import { Socket } from '@lifeline/core';
import type { ReplaySample } from './api';
import { deferred, within } from './timing';

export type Replayer = 'lifeline' | 'native (hand-written)';

interface Position {
  epoch: string;
  seq: string;
}

/** The fields of a server frame the hand-written client looks at. */
interface Frame {
  re?: string;
  stream?: string;
  seq?: string;
  data?: Position;
}

/** A client that subscribed once, then went down; `run` reconnects it and times the replay. */
interface Prepared {
  run(count: number, head: string, timeoutMs: number): Promise<ReplaySample>;
}

const prepared = new Map<string, Prepared>();

async function prepareLifeline(url: string, stream: string): Promise<Prepared> {
  const socket = new Socket(url);
  let received = 0;
  let target = Number.POSITIVE_INFINITY;
  let lastAt = 0;
  const all = deferred();
  const subscription = socket.subscribe(stream, () => {
    if (++received !== target) return;
    lastAt = performance.now();
    all.resolve();
  });
  const troubles: string[] = [];
  subscription.on('gap', ({ from, to }) => troubles.push(`gap ${from}…${to}`));
  subscription.on('resync', () => troubles.push('resync'));
  subscription.on('error', (error) => troubles.push(error.message));
  const live = new Promise<void>((done) =>
    subscription.on('status', (status) => status === 'live' && done()),
  );
  try {
    await within(live, 10_000, `lifeline to subscribe to ${stream}`);
    const closed = new Promise((done) => socket.once('close', done));
    socket.close();
    await within(closed, 10_000, 'lifeline to close');
  } catch (error) {
    socket.dispose();
    throw error;
  }
  return {
    async run(count, head, timeoutMs) {
      target = count;
      let openAt = 0;
      socket.once('open', () => {
        openAt = performance.now();
      });
      socket.connect();
      try {
        await within(all.promise, timeoutMs, `${count} replayed messages (got ${received})`);
        const at = subscription.position?.seq;
        if (troubles.length > 0 || at !== head || subscription.duplicates > 0)
          throw new Error(`lifeline replay: at seq ${at} of ${head}; ${troubles.join(', ')}`);
        return { ms: lastAt - openAt, messages: received };
      } finally {
        socket.dispose();
      }
    },
  };
}

/** Subscribes a native socket at the stream's head; resolves with the reply's position. */
function subscribeNative(ws: WebSocket, stream: string): Promise<Position> {
  const reply = deferred<Position>();
  const id = 'bench-prepare';
  ws.addEventListener('open', () =>
    ws.send(JSON.stringify({ type: 'subscribe', id, data: { stream } })),
  );
  ws.addEventListener('message', (event) => {
    const message = JSON.parse(event.data as string) as Frame;
    if (message.re === id && message.data) reply.resolve(message.data);
  });
  return reply.promise;
}

async function prepareNative(url: string, stream: string): Promise<Prepared> {
  const first = new WebSocket(url);
  const since = await within(subscribeNative(first, stream), 10_000, `native subscribe ${stream}`);
  const closed = new Promise((done) => first.addEventListener('close', done));
  first.close();
  await within(closed, 10_000, 'native socket to close');
  return {
    async run(count, head, timeoutMs) {
      const ws = new WebSocket(url);
      const id = 'bench-replay';
      let openAt = 0;
      let lastAt = 0;
      let received = 0;
      let epoch: string | undefined;
      let lastSeq = since.seq;
      const all = deferred();
      ws.addEventListener('open', () => {
        openAt = performance.now();
        ws.send(JSON.stringify({ type: 'subscribe', id, data: { stream, since } }));
      });
      // One parse per frame, as an application would do it: the reply, then the stream's frames.
      ws.addEventListener('message', (event) => {
        const message = JSON.parse(event.data as string) as Frame;
        if (message.stream !== stream) {
          if (message.re === id) epoch = message.data?.epoch;
          return;
        }
        lastSeq = message.seq ?? lastSeq;
        if (++received !== count) return;
        lastAt = performance.now();
        all.resolve();
      });
      try {
        await within(all.promise, timeoutMs, `${count} replayed messages (got ${received})`);
        if (epoch !== since.epoch || lastSeq !== head)
          throw new Error(`native replay: at seq ${lastSeq} of ${head}, epoch ${epoch}`);
        return { ms: lastAt - openAt, messages: received };
      } finally {
        ws.close();
      }
    },
  };
}

/** Subscribes `replayer` to `stream` at its head, then takes it down. */
export async function replayPrepare(replayer: Replayer, url: string, stream: string) {
  const ready = replayer === 'lifeline' ? prepareLifeline : prepareNative;
  prepared.set(stream, await ready(url, stream));
}

/** Reconnects the client prepared for `stream` and times the replay up to seq `head`. */
export async function replayRun(stream: string, count: number, head: string, timeoutMs: number) {
  const client = prepared.get(stream);
  if (!client) throw new Error(`replay: nothing prepared for ${stream}`);
  prepared.delete(stream);
  return client.run(count, head, timeoutMs);
}
