// One connection's subscription to one stream. It starts "pending": live messages fanned out
// while the store is read are buffered, then the reply, the replay and the buffer go out in
// that order and it goes live. The last seq sent is tracked so that a message that is both in
// the replay and in the buffer goes out once, and never out of order.
import { compareSeq } from './seq';
import type { ReadResult, StreamMessage } from './store';

/** Encodes a stream message for the wire. */
export function encodeStreamMessage(message: StreamMessage): string {
  const { type, stream, epoch, seq, data } = message;
  return JSON.stringify({ type, stream, epoch, seq, data });
}

export class StreamSubscription {
  private live = false;
  private epoch: string | undefined;
  private lastSent = '0';
  private buffer: Array<{ message: StreamMessage; text: string | Buffer }> = [];

  constructor(
    readonly stream: string,
    private readonly send: (frame: string | Buffer) => void,
  ) {}

  /** A message from the store's fan-out: buffered while pending, else forwarded. */
  offer(message: StreamMessage, text: string | Buffer): void {
    if (this.live) this.forward(message, text);
    else this.buffer.push({ message, text });
  }

  /**
   * Goes live after the store was read and the reply was sent: the replay (when recovered),
   * then what was buffered meanwhile, each message at most once and in seq order.
   */
  start(result: ReadResult): void {
    this.epoch = result.epoch;
    if (result.recovered) {
      for (const message of result.messages) this.forward(message, encodeStreamMessage(message));
    }
    // Without a replay the client starts at the head: nothing up to it is sent.
    if (compareSeq(result.head, this.lastSent) > 0) this.lastSent = result.head;
    const buffered = this.buffer;
    this.buffer = [];
    for (const { message, text } of buffered) this.forward(message, text);
    this.live = true;
  }

  private forward(message: StreamMessage, text: string | Buffer): void {
    if (message.epoch !== this.epoch) {
      // The stream's history restarted: the new epoch counts from its own seqs.
      this.epoch = message.epoch;
    } else if (compareSeq(message.seq, this.lastSent) <= 0) {
      return;
    }
    this.lastSent = message.seq;
    this.send(text);
  }
}
