// Bounded polling for tests against real processes: never wait forever, say what was awaited.

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `predicate` every `everyMs` until it holds; throws after `timeoutMs`. */
export async function waitUntil(
  predicate: () => boolean,
  timeoutMs: number,
  what: string,
  everyMs = 5,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** {@link waitUntil} with the arguments in reading order and a 5 s default. */
export const until = (predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> =>
  waitUntil(predicate, timeoutMs, what);
