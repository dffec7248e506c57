// Small promise helpers shared by the in-page benchmarks.

/** A promise plus the function that resolves it. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Rejects with a message naming `what` when `promise` takes longer than `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A text frame of exactly `bytes` ASCII bytes that is also a valid JSON envelope. */
export function envelopeOfSize(bytes: number): string {
  const shell = '{"type":"tick","data":{"pad":""}}';
  return shell.replace('""', `"${'x'.repeat(Math.max(0, bytes - shell.length))}"`);
}
