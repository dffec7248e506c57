// What a check is and what it gets: a context that opens connections (closed after the check),
// makes unique ids and stream names, and talks to the fixture handlers.
import { CheckFailure, expect, show } from './failure';
import { type Json, Peer } from './peer';

/** Options every check can read. */
export interface CheckOptions {
  /** Milliseconds to wait for any one expected frame or close. */
  timeout: number;
  /** The server's largest accepted frame in bytes, when known. */
  maxPayload: number | undefined;
}

/** One conformance check. */
export interface Check {
  /** Stable id, `group.name`; `--only` selects by id or group. */
  id: string;
  /** What the server must do, in one line. */
  title: string;
  /** Required checks decide the exit code; recommended ones are reported only. */
  required: boolean;
  /** Throws `CheckFailure` to fail; returns a reason to be "not tested". */
  run(context: CheckContext): Promise<undefined | { skip: string }>;
}

const SEQ = /^(0|[1-9][0-9]*)$/;

/** True when `value` is a seq: a decimal string without leading zeros. */
export const isSeq = (value: unknown): value is string =>
  typeof value === 'string' && SEQ.test(value);

/** A stream position as the protocol writes it. */
export interface Position {
  epoch: string;
  seq: string;
}

export class CheckContext {
  private readonly peers: Peer[] = [];
  private counter = 0;

  constructor(
    readonly url: string,
    readonly options: CheckOptions,
    /** Unique per run and check, so ids and stream names never meet any used before. */
    private readonly prefix: string,
  ) {}

  /** Opens a connection that is closed when the check ends. */
  async connect(): Promise<Peer> {
    const peer = await Peer.open(this.url, this.options.timeout);
    this.peers.push(peer);
    return peer;
  }

  /** A request id nobody used before. */
  id(): string {
    return `conformance-${this.prefix}-${++this.counter}`;
  }

  /** A fresh stream name; `small` ones have the fixture's 5-message window. */
  stream(small = false): string {
    return `conformance:${small ? 'small:' : ''}${this.prefix}-${++this.counter}`;
  }

  /** Sends a request and checks the reply is a success; returns its `data`. */
  async call(peer: Peer, type: string, data?: unknown): Promise<unknown> {
    const reply = await peer.request(type, this.id(), data);
    expect(reply.type === type, `the reply to ${type} has type ${show(reply.type)}`);
    expect(
      reply.error === undefined || reply.error === null || reply.error === false,
      `${type} failed: ${show(reply.error)} (is the conformance fixture installed?)`,
    );
    return reply.data;
  }

  /** Publishes through the fixture's `conformance.publish`; checks and returns the position. */
  async publish(peer: Peer, stream: string, type: string, data: unknown): Promise<Position> {
    const position = (await this.call(peer, 'conformance.publish', { stream, type, data })) as Json;
    expect(
      typeof position?.epoch === 'string' && position.epoch !== '' && isSeq(position.seq),
      `conformance.publish must reply { epoch, seq } with a decimal seq, got ${show(position)}`,
    );
    return { epoch: position.epoch as string, seq: position.seq as string };
  }

  /** Subscribes `peer` to `stream` and returns the reply's data, checked for shape. */
  async subscribe(
    peer: Peer,
    stream: string,
    since?: Position,
  ): Promise<Position & { recovered: unknown }> {
    const reply = await peer.request(
      'subscribe',
      this.id(),
      since ? { stream, since } : { stream },
    );
    if (reply.error !== undefined && reply.error !== null && reply.error !== false) {
      throw new CheckFailure(`subscribe to ${stream} failed: ${show(reply.error)}`);
    }
    const data = reply.data as Json | undefined;
    expect(
      reply.type === 'subscribe' &&
        typeof data?.epoch === 'string' &&
        data.epoch !== '' &&
        isSeq(data.seq) &&
        typeof data.recovered === 'boolean',
      `a subscribe reply must be {type:"subscribe", data:{epoch, seq, recovered}}, got ${show(reply)}`,
    );
    return { epoch: data.epoch as string, seq: data.seq as string, recovered: data.recovered };
  }

  /** Closes every connection this check opened. */
  dispose(): void {
    for (const peer of this.peers.splice(0)) peer.terminate();
  }
}

/** Stream messages of `stream` among a peer's frames. */
export const messageOf = (stream: string) => (frame: Json) =>
  frame.stream === stream && typeof frame.seq === 'string' && frame.re === undefined;

/** Waits `ms` (bounded by the caller); used only to let late, unwanted frames show up. */
export const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
