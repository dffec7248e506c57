// Each stream's log, as the reference server keeps it (DESIGN §8): an epoch, a head seq, and a
// window of retained messages from which a resuming subscriber is replayed. Seqs are counted as
// bigints and sent as decimal strings, so positions past 2^53 behave as they would for real.
import type { Envelope, Position } from './types';

interface Log {
  epoch: string;
  head: bigint;
  retained: Envelope[];
}

/** What a subscribe gets: the reply's data and the messages to replay after it. */
export interface Resolution {
  reply: { epoch: string; seq: string; recovered: boolean };
  replay: Envelope[];
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** A valid `since` from a subscribe frame, or undefined (absent or malformed). */
export function readSince(value: unknown): Position | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { epoch, seq } = value as Record<string, unknown>;
  if (typeof epoch !== 'string' || typeof seq !== 'string' || !DECIMAL.test(seq)) return undefined;
  return { epoch, seq };
}

export class StreamLogs {
  private readonly _logs = new Map<string, Log>();
  /** Epoch counts survive `clear()`, so a reset never reuses an epoch name. */
  private readonly _epochs = new Map<string, number>();

  constructor(private readonly _retain: number) {}

  /** The stream's current position (`seq` "0" before its first message). */
  position(stream: string): Position {
    const log = this._log(stream);
    return { epoch: log.epoch, seq: String(log.head) };
  }

  /** Appends a message; returns the stream message envelope. */
  append(stream: string, type: string, data: unknown): Envelope {
    const log = this._log(stream);
    log.head += 1n;
    const message: Envelope = { type, stream, epoch: log.epoch, seq: String(log.head) };
    if (data !== undefined) message.data = data;
    log.retained.push(message);
    if (log.retained.length > this._retain)
      log.retained.splice(0, log.retained.length - this._retain);
    return message;
  }

  /** What a subscribe with `since` (or none) gets from the log as it is now. */
  resolve(stream: string, since: Position | undefined): Resolution {
    const log = this._log(stream);
    const head = { epoch: log.epoch, seq: String(log.head) };
    if (since === undefined) return { reply: { ...head, recovered: true }, replay: [] };
    const from = BigInt(since.seq);
    // Every message after `since` must still be here: no later than the head, and no earlier
    // than one before the oldest retained message.
    const oldest = log.retained[0] ? BigInt(log.retained[0].seq as string) : log.head + 1n;
    const resumable = since.epoch === log.epoch && from <= log.head && from + 1n >= oldest;
    if (!resumable) return { reply: { ...head, recovered: false }, replay: [] };
    const replay = log.retained.filter((message) => BigInt(message.seq as string) > from);
    return { reply: { ...head, recovered: true }, replay };
  }

  /** Starts a new epoch for `stream` (or every stream): its history is gone, seq restarts at 0. */
  resetEpoch(stream?: string): void {
    const names = stream === undefined ? [...this._logs.keys()] : [stream];
    for (const name of names) {
      this._logs.delete(name);
      this._log(name);
    }
  }

  /** Forgets every log (a server restart without a durable store). */
  clear(): void {
    this._logs.clear();
  }

  private _log(stream: string): Log {
    let log = this._logs.get(stream);
    if (!log) {
      const epochs = (this._epochs.get(stream) ?? 0) + 1;
      this._epochs.set(stream, epochs);
      log = { epoch: `e${epochs}`, head: 0n, retained: [] };
      this._logs.set(stream, log);
    }
    return log;
  }
}
