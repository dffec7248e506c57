// Streams: the subscribe reply gives the head, live messages follow in order, a resume replays
// exactly what was missed, and a position that cannot be honoured gives `recovered: false`.
// Messages are published through the fixture's `conformance.publish` on a separate connection.
import { type Check, type CheckContext, messageOf, type Position, settle } from '../check';
import { expect, show } from '../failure';
import type { Json, Peer } from '../peer';

/** Publishes `count` messages numbered from `from`; returns the last position. */
async function publishMany(
  context: CheckContext,
  control: Peer,
  stream: string,
  from: number,
  count: number,
): Promise<Position> {
  let last: Position | undefined;
  for (let n = from; n < from + count; n++) {
    last = await context.publish(control, stream, 'conformance.message', { n });
  }
  return last!;
}

/** Waits for `count` stream messages of `stream` on `peer` and checks them one by one. */
async function expectMessages(
  peer: Peer,
  stream: string,
  epoch: string,
  numbers: number[],
  what: string,
): Promise<Json[]> {
  const messages = await peer.waitForAll(messageOf(stream), numbers.length, what);
  messages.forEach((message, index) => {
    const n = numbers[index]!;
    expect(
      message.type === 'conformance.message' &&
        message.epoch === epoch &&
        message.seq === String(n) &&
        (message.data as Json | undefined)?.n === n,
      `${what}: message ${index + 1} should be seq "${n}" with data {"n":${n}}, got ${show(message)}`,
    );
  });
  return messages;
}

/** Checks that nothing but `expected` messages of `stream` reached `peer` (after a short wait). */
async function expectNoMore(context: CheckContext, peer: Peer, stream: string, expected: number) {
  await settle(Math.min(100, context.options.timeout / 4));
  const messages = peer.frames.filter((frame) => frame && messageOf(stream)(frame));
  expect(
    messages.length === expected,
    `expected ${expected} messages of ${stream}, got ${messages.length}: seqs ${show(messages.map((m) => m?.seq))}`,
  );
}

/** A fresh stream, a peer subscribed to it at its head, and a second connection to publish. */
async function subscribedPeer(context: CheckContext) {
  const stream = context.stream();
  const peer = await context.connect();
  const head = await context.subscribe(peer, stream);
  const control = await context.connect();
  return { stream, peer, head, control };
}

export const streamChecks: Check[] = [
  {
    id: 'subscribe.reply',
    title: 'subscribe replies { epoch, seq: head, recovered: true }, then sends no replay',
    required: true,
    async run(context) {
      const stream = context.stream();
      const control = await context.connect();
      const empty = await context.subscribe(control, stream);
      expect(
        empty.seq === '0' && empty.recovered === true,
        `an empty stream's head is seq "0", recovered true; got ${show(empty)}`,
      );
      const published = await publishMany(context, control, stream, 1, 2);
      expect(
        published.seq === '2' && published.epoch === empty.epoch,
        `the 2nd message must be seq "2" in epoch ${empty.epoch}, got ${show(published)}`,
      );
      const peer = await context.connect();
      const head = await context.subscribe(peer, stream);
      expect(
        head.epoch === empty.epoch && head.seq === '2' && head.recovered === true,
        `expected {"epoch":"${empty.epoch}","seq":"2","recovered":true}, got ${show(head)}`,
      );
      await publishMany(context, control, stream, 3, 1);
      await expectMessages(peer, stream, head.epoch, [3], 'the first message after subscribe');
      return undefined;
    },
  },
  {
    id: 'subscribe.live',
    title: 'live messages arrive in order: {type, stream, epoch, seq, data}, seq contiguous',
    required: true,
    async run(context) {
      const { stream, peer, head, control } = await subscribedPeer(context);
      await publishMany(context, control, stream, 1, 5);
      await expectMessages(peer, stream, head.epoch, [1, 2, 3, 4, 5], 'live messages');
      await expectNoMore(context, peer, stream, 5);
      return undefined;
    },
  },
  {
    id: 'subscribe.invalid',
    title: 'a subscribe without a stream name gets an error reply',
    required: true,
    async run(context) {
      const peer = await context.connect();
      const id = context.id();
      const reply = await peer.request('subscribe', id, { since: { epoch: 'x', seq: '1' } });
      const error = reply.error as Json | undefined;
      expect(
        reply.type === 'subscribe' && typeof error === 'object' && error !== null,
        `expected {"type":"subscribe","re":"${id}","error":{…}}, got ${show(reply)}`,
      );
      return undefined;
    },
  },
  {
    id: 'subscribe.unsubscribe',
    title: 'after {"type":"unsubscribe"} no more messages of that stream arrive',
    required: true,
    async run(context) {
      const { stream, peer, head, control } = await subscribedPeer(context);
      await publishMany(context, control, stream, 1, 1);
      await expectMessages(peer, stream, head.epoch, [1], 'the message before unsubscribe');
      peer.send({ type: 'unsubscribe', data: { stream } });
      peer.send({ type: 'ping', data: 'unsubscribed' }); // answered after the unsubscribe
      await peer.waitFor((frame) => frame.type === 'pong' && frame.data === 'unsubscribed', 'pong');
      await publishMany(context, control, stream, 2, 2);
      peer.send({ type: 'ping', data: 'published' });
      await peer.waitFor((frame) => frame.type === 'pong' && frame.data === 'published', 'pong');
      await expectNoMore(context, peer, stream, 1);
      return undefined;
    },
  },
  {
    id: 'subscribe.replace',
    title: 'subscribing again on the same connection restarts from the new `since` (heals a gap)',
    required: true,
    async run(context) {
      const { stream, peer, head, control } = await subscribedPeer(context);
      await publishMany(context, control, stream, 1, 3);
      await expectMessages(peer, stream, head.epoch, [1, 2, 3], 'live messages');
      const again = await context.subscribe(peer, stream, { epoch: head.epoch, seq: '1' });
      expect(
        again.recovered === true && again.seq === '3',
        `expected {"seq":"3","recovered":true}, got ${show(again)}`,
      );
      await expectMessages(peer, stream, head.epoch, [1, 2, 3, 2, 3], 'the replay after seq 1');
      await expectNoMore(context, peer, stream, 5);
      return undefined;
    },
  },
  {
    id: 'resume.replay',
    title: 'a resume after a reconnect replays every missed message in order, then goes live',
    required: true,
    async run(context) {
      const stream = context.stream();
      const control = await context.connect();
      const first = await context.connect();
      const head = await context.subscribe(first, stream);
      await publishMany(context, control, stream, 1, 3);
      await expectMessages(first, stream, head.epoch, [1, 2, 3], 'live messages');
      first.terminate(); // missed while away: 4 to 7
      const missed = await publishMany(context, control, stream, 4, 4);

      const second = await context.connect();
      const resumed = await context.subscribe(second, stream, { epoch: head.epoch, seq: '3' });
      expect(
        resumed.epoch === head.epoch && resumed.seq === missed.seq && resumed.recovered === true,
        `expected {"epoch":"${head.epoch}","seq":"7","recovered":true}, got ${show(resumed)}`,
      );
      await publishMany(context, control, stream, 8, 1);
      await expectMessages(second, stream, head.epoch, [4, 5, 6, 7, 8], 'the replay, then live');
      await expectNoMore(context, second, stream, 5);
      return undefined;
    },
  },
  {
    id: 'resume.unknown-epoch',
    title: 'a resume from another epoch gets recovered: false, the head, and no replay',
    required: true,
    async run(context) {
      const stream = context.stream();
      const control = await context.connect();
      const last = await publishMany(context, control, stream, 1, 3);
      const peer = await context.connect();
      const since = { epoch: `not-${last.epoch}`, seq: '1' };
      const reply = await context.subscribe(peer, stream, since);
      expect(
        reply.recovered === false && reply.epoch === last.epoch && reply.seq === '3',
        `expected {"epoch":"${last.epoch}","seq":"3","recovered":false}, got ${show(reply)}`,
      );
      await publishMany(context, control, stream, 4, 1);
      await expectMessages(peer, stream, last.epoch, [4], 'only live messages');
      return undefined;
    },
  },
  {
    id: 'resume.past-window',
    title: 'a resume older than the window (conformance:small:*, 5 kept) gets recovered: false',
    required: true,
    async run(context) {
      const stream = context.stream(true);
      const control = await context.connect();
      const last = await publishMany(context, control, stream, 1, 8);
      const peer = await context.connect();
      const reply = await context.subscribe(peer, stream, { epoch: last.epoch, seq: '1' });
      expect(
        reply.recovered === false && reply.epoch === last.epoch && reply.seq === '8',
        `expected {"epoch":"${last.epoch}","seq":"8","recovered":false} (does the server keep at most 5 messages of conformance:small:* streams?), got ${show(reply)}`,
      );
      await publishMany(context, control, stream, 9, 1);
      await expectMessages(peer, stream, last.epoch, [9], 'only live messages');
      return undefined;
    },
  },
];
