// The stream half of the protocol (DESIGN §8) on a mock-socket server, for the adapters' unit
// tests (React's and Vue's): answers subscribes with epoch `e1` and the stream's head, records
// every frame the clients send, and publishes to the connections subscribed to a stream.
import type { Client, Server } from 'mock-socket';

/** A frame a client sent, decoded. */
export interface SentFrame {
  type: string;
  id?: string;
  data?: { stream?: string; since?: { epoch: string; seq: string } };
}

export interface StreamMock {
  /** Every frame received, in order. */
  frames: SentFrame[];
  /** How many `type` frames (for `stream`, when given) the server received. */
  count(type: 'subscribe' | 'unsubscribe', stream?: string): number;
  /** How many connections are subscribed to `stream` right now. */
  subscribers(stream: string): number;
  /** Appends to `stream` and sends the message to its subscribers; returns its seq. */
  publish(stream: string, type: string, data: unknown): string;
  /** Sends a stream message with the given `seq` as is (to fake gaps and duplicates). */
  push(stream: string, seq: string, type: string, data: unknown): void;
}

/** Speaks streams on `server`; subscribes to a stream in `refuse` get a `FORBIDDEN` reply. */
export function speakStreams(server: Server, refuse: readonly string[] = []): StreamMock {
  const frames: SentFrame[] = [];
  const heads = new Map<string, number>();
  const subscribed = new Map<Client, Set<string>>();
  const send = (client: Client, frame: unknown) => client.send(JSON.stringify(frame));

  server.on('connection', (client) => {
    const streams = new Set<string>();
    subscribed.set(client, streams);
    client.on('close', () => subscribed.delete(client));
    client.on('message', (raw: unknown) => {
      const frame = JSON.parse(String(raw)) as SentFrame;
      frames.push(frame);
      const stream = frame.data?.stream;
      if (stream === undefined) return;
      if (frame.type === 'unsubscribe') streams.delete(stream);
      if (frame.type !== 'subscribe') return;
      if (refuse.includes(stream)) {
        send(client, {
          type: 'subscribe',
          re: frame.id,
          error: { message: 'no', code: 'FORBIDDEN' },
        });
        return;
      }
      streams.add(stream);
      const head = String(heads.get(stream) ?? 0);
      send(client, {
        type: 'subscribe',
        re: frame.id,
        data: { epoch: 'e1', seq: head, recovered: true },
      });
    });
  });

  const push = (stream: string, seq: string, type: string, data: unknown) => {
    for (const [client, streams] of subscribed)
      if (streams.has(stream)) send(client, { type, stream, epoch: 'e1', seq, data });
  };
  return {
    frames,
    count: (type, stream) =>
      frames.filter((f) => f.type === type && (stream === undefined || f.data?.stream === stream))
        .length,
    subscribers: (stream) => [...subscribed.values()].filter((s) => s.has(stream)).length,
    publish(stream, type, data) {
      const seq = (heads.get(stream) ?? 0) + 1;
      heads.set(stream, seq);
      push(stream, String(seq), type, data);
      return String(seq);
    },
    push,
  };
}
