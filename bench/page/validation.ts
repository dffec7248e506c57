// Per-message receive cost of schema validation (issue 18): a `Socket` over the in-page fake
// transport receiving `{ type: 't', data: <5 fields> }` envelopes, with a 5-field valibot
// object schema for `t` or without one. Same delivery loop and chunked timing as the receive
// rows (per-message.ts); only the `schemas` option differs. Sets
// `globalThis.lifelineValidationBench` (imported for its side effect by entry.ts).
import { Socket } from '@lifeline/core';
import * as v from 'valibot';
import { FakeWebSocket } from './fake-transport';
import { timeInChunks } from './per-message';
import { within } from './timing';

export type ValidationMode = 'no validation' | 'valibot, 5 fields';

/** The schema a typical chat-like message would get. */
const SCHEMA = v.object({
  id: v.number(),
  user: v.string(),
  text: v.string(),
  at: v.number(),
  tags: v.array(v.string()),
});

/** One distinct flat string per message, as a socket's frames are. */
function framesOf(count: number): string[] {
  const frames = new Array<string>(count);
  for (let i = 0; i < count; i++)
    frames[i] = JSON.stringify({
      type: 't',
      data: {
        id: i,
        user: `user${i % 100}`,
        text: 'hello there',
        at: 1764547200000 + i,
        tags: ['a'],
      },
    });
  return frames;
}

/** ns per message delivered to an `onMessage` handler; throws if any went missing or was invalid. */
async function cost(mode: ValidationMode, count: number): Promise<number> {
  const frames = framesOf(count);
  FakeWebSocket.last = undefined;
  const socket = new Socket('ws://fake.invalid/', {
    WebSocket: FakeWebSocket as unknown as typeof WebSocket,
    ...(mode === 'valibot, 5 fields' && { schemas: { t: SCHEMA } }),
  });
  let received = 0;
  let invalid = 0;
  socket.onMessage('t', () => {
    received++;
  });
  socket.on('invalid', () => {
    invalid++;
  });
  try {
    const open = async () => {
      while (socket.readyState !== 1) await new Promise((done) => setTimeout(done, 1));
    };
    await within(open(), 2000, 'the socket to open over the fake transport');
    const fake = FakeWebSocket.last as FakeWebSocket | undefined;
    if (!fake) throw new Error('validation cost: no transport constructed');
    const ns = timeInChunks(count, (from, n) => fake.receiveEach(frames, from, n));
    if (received !== count || invalid)
      throw new Error(
        `validation cost (${mode}): ${received} of ${count} delivered, ${invalid} invalid`,
      );
    return ns;
  } finally {
    socket.dispose();
  }
}

export interface ValidationBenchApi {
  cost(mode: ValidationMode, count: number): Promise<number>;
}

declare global {
  var lifelineValidationBench: ValidationBenchApi;
}

globalThis.lifelineValidationBench = { cost };
