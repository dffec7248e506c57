// One client connection: decodes its frames and routes them (ping, subscribe, unsubscribe,
// requests, events), and keeps its stream subscriptions. Nothing a client sends throws out of
// here; user code (handlers, authorize, the store) is awaited inside try/catch.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { isStreamName, MAX_STREAM_LENGTH } from './arguments';
import type { ReplyStore } from './dedupe';
import {
  decodeEnvelope,
  describeError,
  type Envelope,
  encodeErrorReply,
  encodeEvent,
  encodeReply,
} from './envelope';
import type { SafeEvents } from './events';
import { isSeq } from './seq';
import type { Position, StreamMessage, StreamStore } from './store';
import { StreamSubscription } from './subscription';
import type { Authorize, Context, RequestHandler, ServerEvents, ServerStats } from './types';

/** What a connection needs from its server. */
export interface ConnectionHost {
  readonly store: StreamStore;
  readonly authorize: Authorize | undefined;
  readonly replies: ReplyStore;
  readonly stats: ServerStats;
  readonly events: SafeEvents<ServerEvents>;
  handlerFor(type: string): RequestHandler | undefined;
  /** Reports a failure of user code or the store; the connection carries on. */
  report(error: unknown): void;
  /** Routes the fan-out of `stream` to `connection` (or stops it). */
  track(stream: string, connection: Connection): void;
  untrack(stream: string, connection: Connection): void;
}

interface SubscribeRequest {
  stream: string;
  since: Position | undefined;
  data: unknown;
}

/** The subscribe request in `data`, or a message saying what is wrong with it. */
function parseSubscribe(data: unknown): SubscribeRequest | string {
  if (typeof data !== 'object' || data === null) return 'subscribe needs data: { stream }';
  const { stream, since, data: appData } = data as Record<string, unknown>;
  if (!isStreamName(stream)) {
    return `stream must be a non-empty string of at most ${MAX_STREAM_LENGTH} characters`;
  }
  if (since === undefined || since === null) return { stream, since: undefined, data: appData };
  const { epoch, seq } = since as Record<string, unknown>;
  if (typeof since !== 'object' || typeof epoch !== 'string' || !isSeq(seq)) {
    return 'since must be { epoch: string, seq: decimal string }';
  }
  return { stream, since: { epoch, seq }, data: appData };
}

export class Connection {
  readonly context: Context;
  /** Set on every frame and ws-level pong; the server's ping round clears it. */
  alive = true;
  private closed = false;
  private readonly subscriptions = new Map<string, StreamSubscription>();
  /** Subscribe and unsubscribe of one stream run one after another, in arrival order. */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    readonly socket: WebSocket,
    request: IncomingMessage,
    private readonly host: ConnectionHost,
  ) {
    this.context = {
      id: randomUUID(),
      socket,
      request,
      send: (type, data) => this.sendText(encodeEvent(type, data)),
      close: (code, reason) => socket.close(code ?? 1000, reason),
    };
  }

  /** One frame from the client. */
  receive(raw: Buffer, isBinary: boolean): void {
    this.alive = true;
    if (isBinary) return this.malformed(raw);
    const text = raw.toString('utf8');
    const envelope = decodeEnvelope(text);
    if (!envelope) return this.malformed(text);
    switch (envelope.type) {
      case 'ping':
        this.sendText(encodeEvent('pong', envelope.data));
        return;
      case 'pong':
        return;
      case 'subscribe':
        return this.subscribe(envelope, text);
      case 'unsubscribe':
        return this.unsubscribe(envelope, text);
      default:
        if (envelope.id === undefined) this.host.events.emit('message', envelope, this.context);
        else this.request(envelope.type, envelope.id, envelope.data);
    }
  }

  /** A message fanned out by the store for a stream this connection may be subscribed to. */
  offer(message: StreamMessage, frame: string | Buffer): void {
    this.subscriptions.get(message.stream)?.offer(message, frame);
  }

  /** The socket closed: stop every subscription; pending work finds `closed` and stops. */
  dispose(): void {
    this.closed = true;
    for (const stream of this.subscriptions.keys()) this.host.untrack(stream, this);
    this.subscriptions.clear();
    this.chains.clear();
  }

  /** Sends a text frame; a Buffer holds text already encoded as UTF-8 (a fan-out's). */
  private sendText(text: string | Buffer): void {
    if (!this.closed && this.socket.readyState === WebSocket.OPEN)
      this.socket.send(text, { binary: false });
  }

  private malformed(raw: string | Buffer): void {
    this.host.stats.malformed++;
    this.host.events.emit('malformed', raw, this.context);
  }

  private request(type: string, id: string, data: unknown): void {
    const { reply, shared } = this.host.replies.run(
      id,
      () => this.execute(type, id, data),
      (message, code) => encodeErrorReply(type, id, message, code),
    );
    if (shared === true) this.host.stats.deduped++;
    else if (shared !== false) void shared.then((was) => was && this.host.stats.deduped++);
    reply.then((text) => this.sendText(text));
  }

  /** Runs the handler; every outcome becomes an encoded reply (never a rejection). */
  private async execute(type: string, id: string, data: unknown): Promise<string> {
    const handler = this.host.handlerFor(type);
    if (!handler) {
      return encodeErrorReply(type, id, `No handler for request type "${type}"`, 'UNKNOWN_TYPE');
    }
    let result: unknown;
    try {
      result = await handler(data, this.context);
    } catch (error) {
      const { message, code } = describeError(error);
      // An error with a code is an answer; one without is a bug worth reporting.
      if (code === undefined) this.host.report(error);
      return encodeErrorReply(type, id, message, code ?? 'INTERNAL');
    }
    try {
      return encodeReply(type, id, result);
    } catch (error) {
      this.host.report(error);
      return encodeErrorReply(type, id, 'The reply could not be encoded as JSON', 'INTERNAL');
    }
  }

  private subscribe(envelope: Envelope, text: string): void {
    const { id } = envelope;
    if (id === undefined) return this.malformed(text); // subscribe is a request: it needs an id
    const request = parseSubscribe(envelope.data);
    if (typeof request === 'string') {
      this.sendText(encodeErrorReply('subscribe', id, request, 'INVALID_STREAM'));
      return;
    }
    this.enqueue(request.stream, () => this.startSubscription(id, request));
  }

  private unsubscribe(envelope: Envelope, text: string): void {
    const stream = (envelope.data as { stream?: unknown } | null | undefined)?.stream;
    if (typeof stream !== 'string' || stream === '') return this.malformed(text);
    this.enqueue(stream, async () => this.drop(stream));
  }

  private enqueue(stream: string, step: () => Promise<void>): void {
    const previous = this.chains.get(stream) ?? Promise.resolve();
    const next = previous.then(step).catch((error) => this.host.report(error));
    this.chains.set(stream, next);
    next.then(() => {
      if (this.chains.get(stream) === next) this.chains.delete(stream);
    });
  }

  private async startSubscription(id: string, request: SubscribeRequest): Promise<void> {
    const { stream, since, data } = request;
    const refuse = (message: string, code: string) => {
      this.drop(stream); // the client closes its subscription on an error reply
      this.sendText(encodeErrorReply('subscribe', id, message, code));
    };
    if (this.closed) return;
    if (this.host.authorize) {
      let allowed: unknown;
      try {
        allowed = await this.host.authorize({ request: this.context.request, stream, data });
      } catch (error) {
        this.host.report(error);
        return refuse('Authorization failed', 'INTERNAL');
      }
      if (this.closed) return;
      if (allowed !== true) return refuse(`Not allowed to subscribe to "${stream}"`, 'FORBIDDEN');
    }
    // A re-subscribe replaces the old subscription; from here on, live messages are buffered.
    const subscription = new StreamSubscription(stream, (text) => this.sendText(text));
    this.subscriptions.set(stream, subscription);
    this.host.track(stream, this);
    let result: Awaited<ReturnType<StreamStore['readSince']>>;
    try {
      result = await this.host.store.readSince(stream, since);
    } catch (error) {
      this.host.report(error);
      if (this.closed) return;
      // A shared store that is down comes back: an error reply would end the client's
      // subscription for good, while 1013 makes it reconnect later and resume from its position.
      if ((error as { code?: unknown } | null)?.code === 'ERR_STORE_UNAVAILABLE') {
        this.drop(stream);
        this.context.close(1013, 'store unavailable');
        return;
      }
      return refuse('The stream could not be read', 'INTERNAL');
    }
    if (this.closed || this.subscriptions.get(stream) !== subscription) return;
    const { epoch, head, recovered } = result;
    this.sendText(encodeReply('subscribe', id, { epoch, seq: head, recovered }));
    subscription.start(result);
  }

  private drop(stream: string): void {
    if (this.subscriptions.delete(stream)) this.host.untrack(stream, this);
  }
}
