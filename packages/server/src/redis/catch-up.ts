// Node-level catch-up for redisStore's fan-out. Pub/sub is at-most-once per node: what is
// published while a node's subscriber connection is down never reaches it. Its clients heal a
// gap themselves when the stream's next message shows a seq jump, but a stream that goes quiet
// has no next message, and its last messages would wait for one (and could age out of the log
// meanwhile). So the node remembers how far it relayed each stream it serves and, once its
// subscriber is back, reads the rest from the stream logs and relays it. Relaying a message
// twice is harmless: each server subscription forwards a seq at most once, in order.
import { compareSeq } from '../seq';
import type { Position, ReadResult, StreamMessage } from '../store';

/** Streams remembered per node; the least recently touched are forgotten beyond this. */
export const CATCH_UP_STREAMS = 1000;

/**
 * How far this node relayed each stream it serves (one it read for a subscriber), in
 * least-recently-touched order, at most `limit` streams.
 */
export class ServedStreams {
  private readonly relayed = new Map<string, Position>();

  constructor(private readonly limit = CATCH_UP_STREAMS) {}

  /**
   * A subscriber of `stream` read it up to `position`. A position already known in that epoch
   * stays: it is what was relayed, and messages up to `position` may still be on their way.
   */
  serve(stream: string, position: Position): void {
    const known = this.relayed.get(stream);
    this.touch(stream, known?.epoch === position.epoch ? known : position);
  }

  /** A message of any stream was relayed: a served stream's position moves forward. */
  relay(message: StreamMessage): void {
    const known = this.relayed.get(message.stream);
    if (!known) return;
    if (known.epoch === message.epoch && compareSeq(message.seq, known.seq) <= 0) return;
    this.touch(message.stream, { epoch: message.epoch, seq: message.seq });
  }

  /** The served streams and how far each was relayed, least recently touched first. */
  positions(): Array<[string, Position]> {
    return [...this.relayed];
  }

  private touch(stream: string, position: Position): void {
    this.relayed.delete(stream);
    this.relayed.set(stream, position);
    if (this.relayed.size > this.limit) {
      this.relayed.delete(this.relayed.keys().next().value as string);
    }
  }
}

/**
 * Reads what each served stream got past its relayed position and hands it to `relay` in seq
 * order, one stream after the other, until `stopped()`. A stream whose missing part is no
 * longer in the log (another epoch, trimmed) is left alone: its clients resync at its next
 * message, as they would without catch-up. A failed read (Redis gone again) ends the round;
 * the next reconnect starts another.
 */
export async function catchUp(
  served: ServedStreams,
  readSince: (stream: string, since: Position) => Promise<ReadResult>,
  relay: (message: StreamMessage) => void,
  stopped: () => boolean,
): Promise<void> {
  for (const [stream, since] of served.positions()) {
    if (stopped()) return;
    const result = await readSince(stream, since);
    if (!result.recovered || stopped()) continue;
    for (const message of result.messages) relay(message);
  }
}
