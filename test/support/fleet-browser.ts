// Lifeline clients in a real Chromium page (the script-tag build) for the fleet chaos test: each
// Socket subscribes to every stream and records what the app saw, like stream-server-kit's
// `record` does for Node clients, so both kinds are checked by the same rules.
import { type IifePage, openIifePage } from './iife-page';
import { type Recorded, sleep } from './stream-server-kit';

/** What one subscription delivered to the app, plus its state when read. */
export interface Seen {
  label: string;
  stream: string;
  seqs: string[];
  epochs: string[];
  resyncs: Array<{ epoch: string; seq: string }>;
  gaps: Array<{ from: string; to: string }>;
  status: string;
  position: { epoch: string; seq: string } | undefined;
}

export interface BrowserClients {
  /** A snapshot of every subscription in the page. */
  read(): Promise<Seen[]>;
  /** Uncaught errors in the page. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Opens Chromium with `count` Sockets to `url`, each subscribed to `streams`. */
export async function openBrowserClients(
  url: string,
  streams: string[],
  count: number,
): Promise<BrowserClients> {
  const iife: IifePage = await openIifePage();
  await iife.page.evaluate(
    ({ url, streams, count }) => {
      // biome-ignore lint/suspicious/noExplicitAny: the page's globals
      const w = window as any;
      w.fleet = [];
      w.fleetSockets = [];
      for (let i = 0; i < count; i++) {
        const socket = new w.Lifeline.Socket(url, {
          reconnect: { initialDelay: 20, maxDelay: 250 },
        });
        w.fleetSockets.push(socket);
        for (const stream of streams) {
          const seen = {
            label: `browser ${i} ${stream}`,
            stream,
            seqs: [],
            epochs: [],
            resyncs: [],
            gaps: [],
          };
          // biome-ignore lint/suspicious/noExplicitAny: page-side objects
          const sub = socket.subscribe(stream, (_data: unknown, message: any) => {
            (seen.seqs as string[]).push(message.seq);
            (seen.epochs as string[]).push(message.epoch);
          });
          // biome-ignore lint/suspicious/noExplicitAny: page-side objects
          sub.on('resync', ({ position }: any) => (seen.resyncs as unknown[]).push(position));
          sub.on('gap', (gap: unknown) => (seen.gaps as unknown[]).push(gap));
          w.fleet.push({ seen, sub });
        }
      }
    },
    { url, streams, count },
  );
  return {
    pageErrors: iife.pageErrors,
    read: () =>
      iife.page.evaluate(() =>
        // biome-ignore lint/suspicious/noExplicitAny: the page's globals
        (window as any).fleet.map(({ seen, sub }: any) => ({
          ...seen,
          status: sub.status,
          position: sub.position,
        })),
      ),
    async close() {
      await iife.page
        .evaluate(() => {
          // biome-ignore lint/suspicious/noExplicitAny: the page's globals
          for (const socket of (window as any).fleetSockets) socket.dispose();
        })
        .catch(() => {});
      await iife.close();
    },
  };
}

/** A Node client's subscription in the shape the browser's are read in. */
export const seenOf = (r: Recorded): Seen => ({
  label: r.label,
  stream: r.sub.stream,
  seqs: r.seqs,
  epochs: r.epochs,
  resyncs: r.resyncs,
  gaps: r.gaps,
  status: r.sub.status,
  position: r.sub.position,
});

/** Polls `read()` until every subscription satisfies `ok`; throws naming the laggards. */
export async function waitAll(
  read: () => Promise<Seen[]>,
  ok: (seen: Seen) => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const behind = (await read()).filter((seen) => !ok(seen));
    if (behind.length === 0) return;
    if (Date.now() > deadline) {
      const detail = behind
        .slice(0, 5)
        .map((b) => `${b.label} ${b.status} at ${b.position?.epoch}/${b.position?.seq}`)
        .join('; ');
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}: ${behind.length} behind (${detail})`,
      );
    }
    await sleep(25);
  }
}
