// The `ticks` stream: one message every `interval` ms, so the page always has a stream to
// subscribe to and faults have something to lose. Published whether or not anyone listens:
// what is published while a client is away is what its resume must replay.

/** Publishes to a stream; resolves with the message's position (LifelineServer.publish). */
export type Publish = (stream: string, type: string, data: unknown) => Promise<unknown>;

/** Name of the stream the dev server publishes to. */
export const TICKS_STREAM = 'ticks';

/**
 * Publishes `tick { n, at }` to `ticks` every `interval` ms (n counts from 1, `at` is
 * `Date.now()`). Returns the function that stops it; a failed publish is logged, not thrown.
 */
export function startTicks(
  publish: Publish,
  interval: number,
  log: (line: string) => void,
): () => void {
  let n = 0;
  let failing = false;
  const timer = setInterval(() => {
    n++;
    publish(TICKS_STREAM, 'tick', { n, at: Date.now() }).then(
      () => {
        failing = false;
      },
      (error: unknown) => {
        // Once per run of failures: a broken store must not fill the terminal ten times a second.
        if (!failing) log(`ticks: publish failed: ${(error as Error).message}`);
        failing = true;
      },
    );
  }, interval);
  return () => clearInterval(timer);
}
