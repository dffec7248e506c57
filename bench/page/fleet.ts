// Clients of several libraries on real sockets, recording every open and connection attempt:
// the raw material for recovery, herd and memory measurements. Each library's fleet connects
// with `?lib=<name>` in its URL, so attempts stay attributable when fleets share a page.
import type { BenchClient, LibAdapter } from '../libs/index';
import type { FleetState } from './api';
import { within } from './timing';

interface Fleet {
  clients: BenchClient[];
  /** Per client, the time of every `open`. */
  opens: number[][];
}

const fleets = new Map<string, Fleet>();
let attempts: { url: string; at: number }[] = [];
let counting = false;

/**
 * Replaces the page's WebSocket with a subclass that timestamps each construction. Libraries
 * read the global at different times (load, construction, each retry); all of them see this.
 */
function countAttempts(): void {
  if (counting) return;
  counting = true;
  const Native = globalThis.WebSocket;
  globalThis.WebSocket = class CountingWebSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      attempts.push({ url: String(url), at: Date.now() });
      super(url, protocols);
    }
  };
}

const tag = (lib: string) => `lib=${encodeURIComponent(lib)}`;

/** `url` with the library's tag in its query. */
export function fleetUrl(url: string, lib: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${tag(lib)}`;
}

export function spawnFleet(adapter: LibAdapter, url: string, count: number): void {
  countAttempts();
  const fleet = fleets.get(adapter.name) ?? { clients: [], opens: [] };
  fleets.set(adapter.name, fleet);
  for (let i = 0; i < count; i++) {
    const times: number[] = [];
    fleet.opens.push(times);
    fleet.clients.push(
      adapter.create(fleetUrl(url, adapter.name), {
        open: () => times.push(Date.now()),
        message() {},
      }),
    );
  }
}

export function fleetState(lib: string): FleetState {
  const fleet = fleets.get(lib);
  const mine = tag(lib);
  return {
    opens: fleet ? fleet.opens.map((times) => [...times]) : [],
    attempts: attempts.filter((attempt) => attempt.url.endsWith(mine)).map((attempt) => attempt.at),
  };
}

/** Resolves once every client of every fleet has opened at least `times` times. */
export async function waitFleetOpen(lib: string, times: number, timeoutMs: number): Promise<void> {
  const opens = fleets.get(lib)?.opens ?? [];
  const ready = () => opens.every((list) => list.length >= times);
  await within(
    new Promise<void>((done) => {
      const poll = setInterval(() => {
        if (!ready()) return;
        clearInterval(poll);
        done();
      }, 10);
    }),
    timeoutMs,
    `${opens.filter((list) => list.length >= times).length} of ${opens.length} ${lib} clients to open`,
  );
}

/** Closes every client of `lib` and forgets them (and their attempts), so the GC can take them. */
export function closeFleet(lib: string): void {
  for (const client of fleets.get(lib)?.clients ?? []) client.close();
  fleets.delete(lib);
  const mine = tag(lib);
  attempts = attempts.filter((attempt) => !attempt.url.endsWith(mine));
}
