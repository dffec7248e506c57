/**
 * The shared-socket registry: one `Socket` per configuration key, counted by the components
 * that use it and disposed when the last one lets go.
 *
 * Why a deferred release and not a timer: React StrictMode (and Fast Refresh) runs an effect's
 * cleanup and then the effect again within the same synchronous commit. Disposing as soon as the
 * count reaches zero would close the connection and open a second one. Checking the count again
 * in a microtask lets the remount take the socket back first, so the socket is never closed,
 * yet a real unmount still disposes it before any macrotask, with no timer to own or cancel.
 */
import { Socket, type SocketOptions, type UrlInput } from '@lifeline/core';
import { socketKey } from './socketKey';

interface Entry {
  readonly socket: Socket;
  users: number;
}

const entries = new Map<string, Entry>();

/** A hold on a shared socket; `release()` gives it back (calling it twice is harmless). */
export interface Lease {
  readonly socket: Socket;
  release(): void;
}

/**
 * Takes (creating if needed) the socket shared by every user of the same URL and options.
 *
 * @example
 * ```ts
 * const lease = acquireSocket('wss://chat.example/ws', { heartbeat: true });
 * lease.socket.sendJson('hello', {});
 * lease.release(); // disposed once no one else holds it
 * ```
 */
export function acquireSocket(
  url: UrlInput,
  options?: SocketOptions,
  key = socketKey(url, options),
): Lease {
  let entry = entries.get(key);
  if (!entry) {
    entry = { socket: new Socket(url, options), users: 0 };
    entries.set(key, entry);
  }
  entry.users += 1;
  const held = entry;
  let released = false;
  return {
    socket: held.socket,
    release() {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users === 0) queueMicrotask(() => disposeIfUnused(key, held));
    },
  };
}

function disposeIfUnused(key: string, entry: Entry): void {
  if (entry.users > 0 || entries.get(key) !== entry) return;
  entries.delete(key);
  entry.socket.dispose();
}

/** How many sockets the registry holds (for tests and debugging). */
export function sharedSocketCount(): number {
  return entries.size;
}
