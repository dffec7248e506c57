// The `flood` fault as a pump that respects backpressure. Sending every envelope at once would
// park the whole flood in the server's memory whenever the client does not read: a client
// asking for flood after flood could grow the server without bound. The pump pauses while the
// connection holds more than a high-water mark of unsent bytes and resumes once they are out.

/** Unsent bytes one connection may hold before a flood pauses (plus at most one envelope). */
export const FLOOD_HIGH_WATER = 1024 * 1024;

/** The connection a flood writes to. */
export interface FloodSink {
  /** Bytes queued on this connection but not yet handed to the network (`ws` bufferedAmount). */
  readonly bufferedAmount: number;
  readonly open: boolean;
  send(text: string): void;
  /** Resolves once everything sent so far has left the process, or the connection closed. */
  drained(): Promise<void>;
}

/** How a flood ended. */
export type FloodEnd = 'done' | 'closed';

/** One running flood: `count` envelopes `{"type":"flood","data":{seq,count,pad}}`, in order. */
export class Flood {
  /** Envelopes sent so far. */
  sent = 0;
  /** Times the flood waited for the connection to drain. */
  pauses = 0;
  private stopped = false;

  constructor(
    readonly count: number,
    readonly size: number,
    private readonly sink: FloodSink,
    private readonly highWater = FLOOD_HIGH_WATER,
  ) {}

  /** Sends every envelope, pausing on backpressure; resolves when done or stopped. */
  async run(): Promise<FloodEnd> {
    const pad = 'x'.repeat(this.size);
    let sinceYield = 0;
    while (this.sent < this.count) {
      if (this.stopped || !this.sink.open) return 'closed';
      if (this.sink.bufferedAmount > this.highWater) {
        this.pauses++;
        await this.sink.drained();
        continue;
      }
      const seq = ++this.sent;
      const text = JSON.stringify({ type: 'flood', data: { seq, count: this.count, pad } });
      this.sink.send(text);
      // Even when the network keeps up, give other connections a turn now and then.
      sinceYield += text.length;
      if (sinceYield > this.highWater) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return 'done';
  }

  /** Ends the flood before its next envelope. */
  stop(): void {
    this.stopped = true;
  }
}
