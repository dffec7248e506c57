// The fake server a test scripts: it hands out a `WebSocket` constructor, accepts or refuses
// connections, answers the protocol (see protocol.ts), and injects the faults real networks
// have. Client → server traffic runs one microtask later, in order; nothing waits on a timer
// except `restart(ms)`, whose downtime is a `setTimeout` so fake timers drive it.
import { type ConnectionHost, type ReceivedFrame, TestConnection } from './connection';
import { decodeFrame } from './envelope';
import { type FakeWebSocket, sameUrl, webSocketClass } from './fake-websocket';
import { type Authorize, Protocol, type ReplyHandler } from './protocol';
import { StreamLogs } from './streams';
import { TaskQueue } from './task-queue';
import type {
  Envelope,
  FrameData,
  MessageFilter,
  MessageMap,
  Position,
  ReplyOf,
  RequestMap,
  RestartOptions,
  SentData,
  StreamMap,
  TestServerEvents,
  TestServerOptions,
} from './types';
import { Listeners, takeNext, Waiters } from './waiters';

/**
 * A fake Lifeline server for tests: no network, no real timers.
 *
 * @example
 * const server = new TestServer();
 * server.reply('sum', ({ a, b }) => a + b);
 * const socket = new Socket('ws://test/ws', { WebSocket: server.WebSocket });
 * await expect(socket.request('sum', { a: 1, b: 2 })).resolves.toBe(3);
 */
export class TestServer<
  In extends MessageMap = MessageMap,
  Out extends MessageMap = MessageMap,
  Req extends RequestMap = RequestMap,
  Streams extends StreamMap = StreamMap,
> {
  /** Pass as the `WebSocket` option of a `Socket` (or use wherever a constructor is taken). */
  readonly WebSocket: typeof globalThis.WebSocket;
  /** Every connection the server accepted, in order (closed ones stay, with `closeRecord`). */
  readonly connections: TestConnection[] = [];
  /** Every frame clients sent, in order: raw data and decoded envelope. */
  readonly received: ReceivedFrame[] = [];
  /** How many sockets tried to connect, refused ones included. */
  attempts = 0;

  private readonly _logs: StreamLogs;
  private readonly _protocol: Protocol;
  private readonly _waiters = new Waiters();
  private readonly _taken = new WeakSet<ReceivedFrame>();
  private readonly _held: TestConnection[] = [];
  private readonly _listeners: Listeners;

  /** Client → server work, run one microtask later in order. */
  private readonly _inbound: TaskQueue;
  private _blackholed = false;
  private _stopped = false;
  private _downTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly _host: ConnectionHost;
  private readonly _report: (error: unknown) => void;

  constructor(private readonly _options: TestServerOptions = {}) {
    const retain = _options.retain ?? 1000;
    if (!Number.isInteger(retain) || retain < 0) {
      throw new RangeError(`retain must be a whole number ≥ 0, got ${String(retain)}`);
    }
    this._logs = new StreamLogs(retain);
    this._protocol = new Protocol(this._logs, {
      pong: _options.pong ?? true,
      answerUnknown: _options.answerUnknown ?? true,
    });
    this._host = {
      later: (task) => this._inbound.push(task),
      blackholed: () => this._blackholed,
      frame: (connection, raw) => this._frame(connection, raw),
      closed: (connection) => this._listeners.emit('close', connection),
      changed: () => this._waiters.check(),
    };
    this._report = _options.onListenerError ?? ((error) => void Promise.reject(error));
    this._inbound = new TaskQueue(this._report, () => this._waiters.check());
    this._listeners = new Listeners(this._report);
    this.WebSocket = webSocketClass(
      Object.assign(
        (ws: FakeWebSocket, url: string, protocols: string[]) => {
          const connection = new TestConnection(++this.attempts, url, protocols, ws, this._host);
          this._inbound.push(() => this._handshake(connection));
          return connection;
        },
        { report: this._report },
      ),
    );
  }

  /** Connections open right now. */
  get open(): TestConnection[] {
    return this.connections.filter((connection) => connection.open);
  }

  /** The most recently accepted connection. */
  get last(): TestConnection | undefined {
    return this.connections.at(-1);
  }

  /** True while `restart(ms)` keeps the server down. */
  get down(): boolean {
    return this._downTimer !== undefined;
  }

  /** Answers requests of `type`: return (or resolve) the reply data; throw for an error reply. */
  reply<K extends keyof Req & string>(
    type: K,
    handler: ReplyHandler<SentData<{}, Req, K>, ReplyOf<Req[K]>>,
  ): this {
    this._protocol.handlers.set(type, handler as ReplyHandler);
    return this;
  }

  /** Decides subscribes: return `false` (or throw) to refuse one. */
  authorize(decide: Authorize | undefined): this {
    this._protocol.authorize = decide;
    return this;
  }

  /** Sends `{ type, data }` to every open connection; returns how many got it. */
  send<K extends keyof In & string>(
    type: K,
    ...data: undefined extends In[K] ? [data?: In[K]] : [data: In[K]]
  ): number {
    return this.open.filter((connection) => connection.send(type, data[0])).length;
  }

  /** Sends a frame as is to every open connection; returns how many got it. */
  sendRaw(data: FrameData): number {
    return this.open.filter((connection) => connection.sendRaw(data)).length;
  }

  /**
   * Appends a message to `stream` and sends it to the connections subscribed to it. With
   * `deliver: false` it is only logged: the subscribers miss it (a gap) until they resume.
   */
  publish<S extends keyof Streams & string, K extends keyof Streams[S] & string>(
    stream: S,
    type: K,
    data: Streams[S][K],
    options: { deliver?: boolean } = {},
  ): Position {
    const message = this._logs.append(stream, type, data);
    if (options.deliver !== false) {
      for (const connection of this.open) {
        if (connection.subscriptions.has(stream)) connection.sendEnvelope(message);
      }
    }
    return { epoch: message.epoch as string, seq: message.seq as string };
  }

  /** The stream's head: its epoch and the seq of its last message ("0" before any). */
  position(stream: keyof Streams & string): Position {
    return this._logs.position(stream);
  }

  /** Starts a new epoch for `stream` (or all): resuming subscribers get `recovered: false`. */
  resetEpoch(stream?: keyof Streams & string): void {
    this._logs.resetEpoch(stream);
  }

  /** Drops every connection uncleanly (close 1006, as a lost network). */
  drop(): void {
    for (const connection of this.open) connection.drop();
  }

  /** Closes every open connection with `code` (new connections are still accepted). */
  close(code = 1000, reason = ''): void {
    for (const connection of this.open) connection.close(code, reason);
  }

  /**
   * Closes every connection (1012 unless `options.code`) and refuses new ones for `ms` of
   * fake or real time (a `setTimeout`): attempts meanwhile fail like an unreachable server.
   */
  restart(ms: number, options: RestartOptions = {}): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`restart(ms) needs ms ≥ 0, got ${ms}`);
    const code = options.code ?? 1012;
    for (const connection of [...this.open, ...this._held.splice(0)]) {
      if (code === 1006) connection.drop();
      else connection.close(code, 'restart');
    }
    if (options.resetStreams) this._logs.clear();
    clearTimeout(this._downTimer);
    this._downTimer = setTimeout(() => {
      this._downTimer = undefined;
      this._waiters.check();
    }, ms);
  }

  /**
   * Stops answering (a half-open connection): frames are recorded but nothing is replied,
   * server sends are lost, and new connections hang in CONNECTING. `blackhole(false)` heals.
   */
  blackhole(on = true): void {
    this._blackholed = on;
    if (!on) for (const connection of this._held.splice(0)) this._accept(connection);
  }

  /** Listens to `connection`, `message` or `close`; returns a function that stops listening. */
  on<E extends keyof TestServerEvents>(event: E, listener: TestServerEvents[E]): () => void {
    return this._listeners.add(event, listener);
  }

  /**
   * The next envelope a client sent that matches `filter` and that no earlier `nextMessage`
   * took: one already received settles at once, else the promise waits for it. Without a
   * filter, heartbeat `ping`/`pong` frames are skipped.
   */
  nextMessage<K extends string>(type: K): Promise<Envelope<K, SentData<Out, Req, K>>>;
  nextMessage(filter?: (envelope: Envelope, frame: ReceivedFrame) => boolean): Promise<Envelope>;
  nextMessage(filter?: MessageFilter): Promise<Envelope> {
    return this._waiters.add(() => {
      const envelope = takeNext(this.received, this._taken, filter);
      return envelope && { value: envelope };
    });
  }

  /**
   * Settles once `check` neither throws nor returns `false`, re-checked after every frame,
   * connection and close (no polling, so fake timers need no advancing for it).
   */
  waitFor<T>(check: () => T): Promise<Exclude<T, false>> {
    return this._waiters.add(() => {
      const value = check();
      return value === false ? undefined : { value: value as Exclude<T, false> };
    });
  }

  /**
   * Lets every frame in flight arrive and every pending reply go out: awaits microtasks until
   * the server has been idle for a few of them. Never advances timers.
   */
  async flush(): Promise<void> {
    for (let tick = 0, quiet = 0; tick < 1000 && quiet < 10; tick++) {
      await Promise.resolve();
      const idle = this._inbound.idle && this._protocol.pending === 0;
      quiet = idle ? quiet + 1 : 0;
    }
  }

  /** Closes everything (1001), clears its timer, rejects waiters; call it after each test. */
  stop(): void {
    if (this._stopped) return;
    this._stopped = true;
    clearTimeout(this._downTimer);
    this._downTimer = undefined;
    for (const connection of [...this.open, ...this._held.splice(0)]) {
      connection.close(1001, 'test server stopped');
    }
    this._waiters.rejectAll('The test server stopped before the awaited condition held');
    this._protocol.clear();
  }

  private _handshake(connection: TestConnection): void {
    const { url } = this._options;
    if (this._stopped || this.down || (url !== undefined && !sameUrl(connection.url, url))) {
      connection.drop(); // refused: error, then close 1006
    } else if (this._blackholed) this._held.push(connection);
    else this._accept(connection);
  }

  private _accept(connection: TestConnection): void {
    if (!connection._accept()) return; // the client gave up while connecting
    this.connections.push(connection);
    this._listeners.emit('connection', connection);
    this._waiters.check();
  }

  private _frame(connection: TestConnection, raw: FrameData): void {
    const frame: ReceivedFrame = { connection, raw, envelope: decodeFrame(raw) };
    connection.received.push(frame);
    this.received.push(frame);
    this._listeners.emit('message', frame);
    if (frame.envelope && !this._blackholed) this._protocol.handle(connection, frame.envelope);
    this._waiters.check();
  }
}

/**
 * Makes a {@link TestServer}. The type arguments are the client's `Socket` maps, in the same
 * order (`In`, `Out`, `Req`, `Streams`).
 */
export function createTestServer<
  In extends MessageMap = MessageMap,
  Out extends MessageMap = MessageMap,
  Req extends RequestMap = RequestMap,
  Streams extends StreamMap = StreamMap,
>(options?: TestServerOptions): TestServer<In, Out, Req, Streams> {
  return new TestServer<In, Out, Req, Streams>(options);
}
