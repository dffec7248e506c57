// The adapters' stream tests (React's and Vue's) on @lifeline/testing: a fake server per test,
// and the few questions those tests ask it. Imported by path: the React 18 project has no
// `@lifeline/testing` alias.
import { createTestServer, type TestServer } from '@lifeline/testing';

export type { TestServer };

/** A fake server; subscribes to a stream in `refuse` get a `FORBIDDEN` reply. */
export function streamServer(refuse: readonly string[] = []): TestServer {
  return createTestServer().authorize((stream) => !refuse.includes(stream));
}

/** How many `type` frames (for `stream`, when given) the server received. */
export function count(server: TestServer, type: 'subscribe' | 'unsubscribe', stream?: string) {
  return server.received.filter(
    ({ envelope }) =>
      envelope?.type === type &&
      (stream === undefined || (envelope.data as { stream?: string }).stream === stream),
  ).length;
}

/** How many open connections are subscribed to `stream` right now. */
export function subscribers(server: TestServer, stream: string): number {
  return server.open.filter((connection) => connection.subscriptions.has(stream)).length;
}

/** Sends a stream message with the given `seq` as is (to fake gaps and duplicates). */
export function push(server: TestServer, stream: string, seq: string, type: string, data: unknown) {
  for (const connection of server.open) {
    if (connection.subscriptions.has(stream)) {
      connection.sendEnvelope({ type, stream, epoch: 'e1', seq, data });
    }
  }
}

/** The `data` of every subscribe the server received, in order. */
export function subscribes(server: TestServer): unknown[] {
  return server.received
    .filter(({ envelope }) => envelope?.type === 'subscribe')
    .map(({ envelope }) => envelope?.data);
}
