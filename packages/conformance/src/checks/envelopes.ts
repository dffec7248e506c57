// Envelopes, heartbeat and the reserved types: what every Lifeline server must do with frames,
// whatever its application handlers are.
import type { Check, CheckContext } from '../check';
import { expect, show } from '../failure';
import type { Peer } from '../peer';

/** Sends a ping with a marker and waits for the pong that echoes it. */
async function pingPong(peer: Peer, marker: string) {
  peer.send({ type: 'ping', data: marker });
  return peer.waitFor(
    (frame) => frame.type === 'pong' && frame.data === marker,
    `{"type":"pong","data":"${marker}"}`,
  );
}

export const envelopeChecks: Check[] = [
  {
    id: 'envelope.non-envelope',
    title: 'frames that are not envelopes are ignored; the connection stays open',
    required: true,
    async run(context: CheckContext) {
      const peer = await context.connect();
      for (const junk of ['hello', '[1,2]', 'null', '42', '{"type":5}', '{"type":""}', '{}']) {
        peer.send(junk);
      }
      peer.send(new Uint8Array([1, 2, 3])); // binary frames are not envelopes either
      await pingPong(peer, 'after-junk');
      return undefined;
    },
  },
  {
    id: 'envelope.malformed-json',
    title: 'malformed JSON is ignored and requests on the connection still work',
    required: true,
    async run(context) {
      const peer = await context.connect();
      for (const junk of ['{', '{"type":"conformance.echo","id":', '{"type":"ping"'])
        peer.send(junk);
      const data = await context.call(peer, 'conformance.echo', { after: 'malformed' });
      expect(
        (data as { after?: unknown } | undefined)?.after === 'malformed',
        `conformance.echo must reply with its data, got ${show(data)}`,
      );
      return undefined;
    },
  },
  {
    id: 'ping.pong',
    title: '{"type":"ping"} is answered with {"type":"pong"}',
    required: true,
    async run(context) {
      const peer = await context.connect();
      peer.send({ type: 'ping' });
      await peer.waitFor((frame) => frame.type === 'pong', '{"type":"pong"}');
      return undefined;
    },
  },
  {
    id: 'ping.data',
    title: 'a ping with data gets a pong echoing that data',
    required: true,
    async run(context) {
      const peer = await context.connect();
      const data = { t: 1234.5, nested: ['a', { b: null }] };
      peer.send({ type: 'ping', data });
      const pong = await peer.waitFor((frame) => frame.type === 'pong', 'a pong');
      expect(
        JSON.stringify(pong.data) === JSON.stringify(data),
        `the pong must echo ${show(data)}, got ${show(pong)}`,
      );
      return undefined;
    },
  },
  {
    id: 'reserved.ping-with-id',
    title: 'a ping that carries an id is still a ping: answered with a pong',
    required: true,
    async run(context) {
      const peer = await context.connect();
      peer.send({ type: 'ping', id: context.id(), data: 'with-id' });
      const first = await peer.waitFor(() => true, 'an answer to the ping');
      expect(
        first.type === 'pong' && first.data === 'with-id',
        `expected {"type":"pong","data":"with-id"}, got ${show(first)}`,
      );
      return undefined;
    },
  },
  {
    id: 'reserved.pong',
    title: 'a pong from the client gets no answer',
    required: false,
    async run(context) {
      const peer = await context.connect();
      peer.send({ type: 'pong' });
      peer.send({ type: 'pong', id: context.id() });
      await pingPong(peer, 'after-pong');
      const first = peer.frames[0];
      expect(
        first?.type === 'pong' && first.data === 'after-pong',
        `the client's pongs were answered: ${show(first)}`,
      );
      return undefined;
    },
  },
];
