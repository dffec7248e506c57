// Requests: replies name their request in `re`, errors carry a code, and a repeated id never
// runs the handler twice (requests are at-least-once: clients resend after a reconnect).
// Executions are counted with the fixture's `conformance.echo` { key } and `conformance.count`.
import type { Check, CheckContext } from '../check';
import { expect, show } from '../failure';
import type { Json, Peer } from '../peer';

const isError = (reply: Json) =>
  typeof reply.error === 'object' && reply.error !== null && !Array.isArray(reply.error);

/** How often `conformance.echo` ran with `key`, as the fixture counts it. */
async function runs(context: CheckContext, key: string): Promise<number> {
  const peer = await context.connect();
  const count = await context.call(peer, 'conformance.count', { key });
  expect(
    typeof count === 'number',
    `conformance.count must reply with a number, got ${show(count)}`,
  );
  return count as number;
}

/** Checks that `reply` answers echo request `id` with `data`. */
function expectEcho(reply: Json, id: string, data: unknown) {
  expect(
    reply.type === 'conformance.echo' &&
      reply.re === id &&
      !isError(reply) &&
      JSON.stringify(reply.data) === JSON.stringify(data),
    `expected {"type":"conformance.echo","re":"${id}","data":${show(data)}}, got ${show(reply)}`,
  );
}

/**
 * How long `conformance.echo` runs in the dedupe checks: long enough for the repeat to arrive
 * while it still runs, short enough for the reply to come within the timeout.
 */
const runTime = (context: CheckContext) => Math.min(300, Math.floor(context.options.timeout / 3));

/** Waits for the server to have received everything sent on `peer` so far. */
async function flush(peer: Peer, marker: string) {
  peer.send({ type: 'ping', data: marker });
  await peer.waitFor((frame) => frame.type === 'pong' && frame.data === marker, 'a pong');
}

export const requestChecks: Check[] = [
  {
    id: 'request.reply',
    title: 'requests get replies with the same type, `re` = id and the data (several in flight)',
    required: true,
    async run(context) {
      const peer = await context.connect();
      const requests = [1, 2, 3, 4, 5].map((n) => ({ id: context.id(), data: { n, s: 'é✓' } }));
      for (const { id, data } of requests) peer.send({ type: 'conformance.echo', id, data });
      for (const { id, data } of requests) {
        const reply = await peer.waitFor((frame) => frame.re === id, `the reply to ${id}`);
        expectEcho(reply, id, data);
      }
      return undefined;
    },
  },
  {
    id: 'request.error',
    title: 'a failing request gets an error reply { message, code }',
    required: true,
    async run(context) {
      const peer = await context.connect();
      const id = context.id();
      const reply = await peer.request('conformance.fail', id, {
        message: 'it failed',
        code: 'CONFORMANCE_FAIL',
      });
      const error = reply.error as Json | undefined;
      expect(
        reply.type === 'conformance.fail' &&
          isError(reply) &&
          error?.code === 'CONFORMANCE_FAIL' &&
          typeof error.message === 'string',
        `expected {"type":"conformance.fail","re":"${id}","error":{"message":…,"code":"CONFORMANCE_FAIL"}}, got ${show(reply)}`,
      );
      return undefined;
    },
  },
  {
    id: 'request.unknown-type',
    title: 'a request of a type nobody handles gets an error reply (not silence)',
    required: true,
    async run(context) {
      const peer = await context.connect();
      const type = `conformance.no-such-type-${context.id()}`;
      const id = context.id();
      const reply = await peer.request(type, id, {});
      expect(
        reply.type === type && isError(reply),
        `expected an error reply to ${type}, got ${show(reply)}`,
      );
      return undefined;
    },
  },
  {
    id: 'dedupe.concurrent',
    title: 'the same id twice while the first still runs: the handler runs once',
    required: true,
    async run(context) {
      const peer = await context.connect();
      const key = context.id();
      const id = context.id();
      const data = { key, delay: runTime(context) };
      peer.send({ type: 'conformance.echo', id, data });
      peer.send({ type: 'conformance.echo', id, data });
      expectEcho(await peer.waitFor((frame) => frame.re === id, `the reply to ${id}`), id, data);
      // A second reply, when sent, must be the same; let it arrive before counting.
      await flush(peer, 'after-duplicates');
      for (const reply of peer.frames.filter((frame) => frame?.re === id)) {
        expectEcho(reply!, id, data);
      }
      const count = await runs(context, key);
      expect(count === 1, `the handler ran ${count} times for one id`);
      return undefined;
    },
  },
  {
    id: 'dedupe.reconnect',
    title: 'the same id again on new connections (during and after the run): runs once, same reply',
    required: true,
    async run(context) {
      const key = context.id();
      const id = context.id();
      const data = { key, delay: runTime(context) };
      const first = await context.connect();
      first.send({ type: 'conformance.echo', id, data });
      await flush(first, 'received'); // the server has the request; now the connection dies
      first.terminate();

      const second = await context.connect(); // as a client does after its reconnect
      expectEcho(await second.request('conformance.echo', id, data), id, data);
      const third = await context.connect(); // and once more after the reply was given
      expectEcho(await third.request('conformance.echo', id, data), id, data);
      const count = await runs(context, key);
      expect(count === 1, `the handler ran ${count} times for one id`);
      return undefined;
    },
  },
];
