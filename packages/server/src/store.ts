// The store interface: where each stream's log lives. Async throughout so that a shared store
// (Redis Streams) can implement it for several server nodes.

/** A place in a stream: `seq` within `epoch`. `seq` "0" is before the first message. */
export interface Position {
  /** Opaque; changes when the stream's history restarts (then old seqs mean nothing). */
  epoch: string;
  /** Decimal string without leading zeros; the first message is "1". */
  seq: string;
}

/** One message of a stream, as stored and as sent to subscribers. */
export interface StreamMessage {
  stream: string;
  type: string;
  epoch: string;
  seq: string;
  data?: unknown;
}

/** What `readSince` found. */
export interface ReadResult {
  epoch: string;
  /** The stream's head when read ("0" when empty). */
  head: string;
  /** False when `since` could not be honoured (other epoch, or older than the window). */
  recovered: boolean;
  /** Every message after `since` up to `head`, in order; empty unless recovered. */
  messages: StreamMessage[];
}

/** Where the server keeps stream logs and how it hears about new messages. */
export interface StreamStore {
  /** Appends one message, assigns the next seq (and the epoch), and fans it out to every subscriber of the store (on every node for a shared store). */
  append(stream: string, type: string, data: unknown): Promise<StreamMessage>;
  /** The stream's current position ({epoch, seq:"0"} when empty; creates the epoch if needed). */
  head(stream: string): Promise<Position>;
  /** Messages after `since` up to the head, or recovered:false when that cannot be done. */
  readSince(stream: string, since: Position | undefined): Promise<ReadResult>;
  /** Fan-out: calls `listener` for every appended message of any stream. Returns unsubscribe. */
  subscribe(listener: (message: StreamMessage) => void): () => void;
  close(): Promise<void>;
}
