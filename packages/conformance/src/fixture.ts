// The conformance fixture for `@lifeline/server`: the four request handlers the checks call,
// and a store that keeps `conformance:small:*` streams to a 5-message window. Typed by shape,
// so this package needs no dependency on the server (and any server with `handle`/`publish`
// fits). For test deployments only: `conformance.publish` lets any client publish.

/** The part of a Lifeline server the fixture uses (`@lifeline/server`'s `LifelineServer` fits). */
export interface FixtureServer {
  handle(type: string, handler: (data: unknown) => unknown): unknown;
  publish(stream: string, type: string, data?: unknown): Promise<{ epoch: string; seq: string }>;
}

/** A stream message as a store keeps it. */
export interface FixtureMessage {
  stream: string;
  type: string;
  epoch: string;
  seq: string;
  data?: unknown;
}

/** The stream store interface of the protocol spec (`@lifeline/server`'s `StreamStore` fits). */
export interface FixtureStore {
  append(stream: string, type: string, data: unknown): Promise<FixtureMessage>;
  head(stream: string): Promise<{ epoch: string; seq: string }>;
  readSince(
    stream: string,
    since: { epoch: string; seq: string } | undefined,
  ): Promise<{ epoch: string; head: string; recovered: boolean; messages: FixtureMessage[] }>;
  subscribe(listener: (message: FixtureMessage) => void): () => void;
  close(): Promise<void>;
}

/** Messages a `conformance:small:*` stream keeps; `resume.past-window` relies on at most this. */
export const SMALL_WINDOW = 5;

/** Streams whose window the checks need to be small. */
export const isSmallStream = (stream: string) => stream.startsWith('conformance:small:');

/** A failed request with a code, as `@lifeline/server` turns it into an error reply. */
class FixtureError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const field = (data: unknown, name: string): unknown =>
  typeof data === 'object' && data !== null && Object.hasOwn(data, name)
    ? (data as Record<string, unknown>)[name]
    : undefined;

const MAX_DELAY = 5000;

/**
 * Registers the handlers the conformance checks call:
 * - `conformance.echo`: replies with its `data`; when `data.key` is a string, counts the run
 *   under that key; when `data.delay` is a number of ms (at most 5000), waits that long first.
 * - `conformance.count` `{ key }`: how many times `conformance.echo` ran with that key.
 * - `conformance.fail` `{ message, code }`: an error reply with that message and code.
 * - `conformance.publish` `{ stream, type, data }`: publishes, replies `{ epoch, seq }`.
 *
 * @example
 * const server = createServer({ port: 8080, store: conformanceStore(memoryStore(), memoryStore({ maxPerStream: 5 })) });
 * installConformanceFixture(server);
 */
export function installConformanceFixture(server: FixtureServer): void {
  const runs = new Map<string, number>();
  server.handle('conformance.echo', async (data) => {
    const key = field(data, 'key');
    if (typeof key === 'string') runs.set(key, (runs.get(key) ?? 0) + 1);
    const delay = field(data, 'delay');
    if (typeof delay === 'number' && delay > 0) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay, MAX_DELAY)));
    }
    return data;
  });
  server.handle('conformance.count', (data) => {
    const key = field(data, 'key');
    if (typeof key !== 'string') throw new FixtureError('data.key must be a string', 'BAD_INPUT');
    return runs.get(key) ?? 0;
  });
  server.handle('conformance.fail', (data) => {
    const message = field(data, 'message');
    const code = field(data, 'code');
    throw new FixtureError(
      typeof message === 'string' ? message : 'conformance.fail',
      typeof code === 'string' ? code : 'CONFORMANCE_FAIL',
    );
  });
  server.handle('conformance.publish', (data) => {
    const stream = field(data, 'stream');
    const type = field(data, 'type');
    if (typeof stream !== 'string' || !stream.startsWith('conformance:')) {
      throw new FixtureError('data.stream must start with "conformance:"', 'BAD_INPUT');
    }
    if (typeof type !== 'string' || type === '') {
      throw new FixtureError('data.type must be a non-empty string', 'BAD_INPUT');
    }
    return server.publish(stream, type, field(data, 'data'));
  });
}

/**
 * A store that keeps `conformance:small:*` streams in `small` (give it a window of
 * {@link SMALL_WINDOW} messages) and every other stream in `regular`.
 *
 * @example
 * createServer({ port: 8080, store: conformanceStore(memoryStore(), memoryStore({ maxPerStream: 5 })) });
 */
export function conformanceStore(regular: FixtureStore, small: FixtureStore): FixtureStore {
  const pick = (stream: string) => (isSmallStream(stream) ? small : regular);
  return {
    append: (stream, type, data) => pick(stream).append(stream, type, data),
    head: (stream) => pick(stream).head(stream),
    readSince: (stream, since) => pick(stream).readSince(stream, since),
    subscribe(listener) {
      const stops = [regular.subscribe(listener), small.subscribe(listener)];
      return () => {
        for (const stop of stops) stop();
      };
    },
    async close() {
      await Promise.all([regular.close(), small.close()]);
    },
  };
}
