// Dead-client detection at the ws level: every interval, a client that did not answer the
// previous ping (or send anything) is terminated, and the others are pinged again. Catches
// half-open TCP connections that would otherwise hold their subscriptions forever.

/** What the ping round needs of a connection. */
export interface Pingable {
  alive: boolean;
  readonly socket: { ping(): void; terminate(): void };
}

/** Starts the ping rounds; returns the function that stops them. */
export function startPinging(
  interval: number,
  clients: () => Iterable<Pingable>,
  onTimeout: (client: Pingable) => void,
): () => void {
  if (interval <= 0) return () => {};
  const timer = setInterval(() => {
    for (const client of clients()) {
      if (!client.alive) {
        onTimeout(client);
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      try {
        client.socket.ping();
      } catch {
        // Not open yet or any more: the next round or the close event settles it.
      }
    }
  }, interval);
  // The process may exit while a server is idle; close() clears it anyway.
  timer.unref();
  return () => clearInterval(timer);
}
