// End-to-end throughput against a real echo server: send everything, wait for every echo.
import type { LibAdapter } from '../libs/index';
import type { ThroughputSample } from './api';
import { deferred, envelopeOfSize, within } from './timing';

/** Text envelopes up to 4 KiB, binary frames above (the 1 MiB case). */
function payloadOf(size: number): string | ArrayBuffer {
  if (size <= 4096) return envelopeOfSize(size);
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 4096) bytes[i] = i & 0xff;
  return bytes.buffer;
}

function byteLength(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (data instanceof Blob) return data.size;
  return 0;
}

export async function throughput(
  adapter: LibAdapter,
  url: string,
  count: number,
  size: number,
): Promise<ThroughputSample> {
  const payload = payloadOf(size);
  const opened = deferred();
  const echoed = deferred();
  let messages = 0;
  let bytes = 0;
  const client = adapter.create(url, {
    open: opened.resolve,
    message(data) {
      messages++;
      bytes += byteLength(data);
      if (messages === count) echoed.resolve();
    },
  });
  try {
    await within(opened.promise, 10_000, `${adapter.name} to connect to ${url}`);
    const start = performance.now();
    for (let i = 0; i < count; i++) client.send(payload);
    await within(echoed.promise, 120_000, `${count} echoes to ${adapter.name} (got ${messages})`);
    const ms = performance.now() - start;
    if (bytes !== count * size)
      throw new Error(`${adapter.name}: echoed ${bytes} of ${count * size} bytes`);
    return { ms, messages, bytes };
  } finally {
    client.close();
  }
}
