// Per-message cost over the fake transport: library code only, no network, no I/O waits.
import { Socket } from '@lifeline/core';
import type { LibAdapter } from '../libs/index';
import { FakeTransport, FakeWebSocket } from './fake-transport';
import { deferred, envelopeOfSize, within } from './timing';

const PAYLOAD = envelopeOfSize(64);

/**
 * Receives `count` messages in chunks and returns the median chunk's ns per message: a chunk
 * hit by a GC pause or by another process taking the CPU does not skew the sample.
 */
function timeReceive(fake: FakeWebSocket, count: number, data: string): number {
  const chunks = Math.max(1, Math.min(20, Math.floor(count / 5000)));
  const size = Math.floor(count / chunks);
  const perMessage: number[] = [];
  for (let done = 0; done < count; done += size) {
    const n = Math.min(size, count - done);
    const start = performance.now();
    fake.receive(n, data);
    perMessage.push(((performance.now() - start) * 1e6) / n);
  }
  perMessage.sort((a, b) => a - b);
  return perMessage[Math.floor(perMessage.length / 2)]!;
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
  if (direction === 'receive') ns = timeReceive(fake, count, PAYLOAD);
  else {
    // Sends are a few ns each: one long run, or the 0.1 ms timer resolution would swamp them.
    const start = performance.now();
    for (let i = 0; i < count; i++) client.send(PAYLOAD);
    ns = ((performance.now() - start) * 1e6) / count;
  }
  client.close();
  const delivered = direction === 'receive' ? received : fake.sent;
  if (delivered !== count) {
    throw new Error(`${adapter.name} ${direction}: ${delivered} of ${count} messages arrived`);
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
