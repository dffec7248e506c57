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
import { forwardFunctions, type SocketConfig } from './forward';
import { socketKey } from './socketKey';

interface Entry {
  readonly socket: Socket;
  users: number;
  /** The configuration the socket's functions call into: the last one a user committed. */
  readonly latest: { config: SocketConfig };
}

const entries = new Map<string, Entry>();

/** A hold on a shared socket; `release()` gives it back (calling it twice is harmless). */
export interface Lease {
  readonly socket: Socket;
  readonly key: string;
  /** Makes the socket's function options call this configuration's functions from now on. */
  update(url: UrlInput, options: SocketOptions | undefined): void;
  release(): void;
}

/**
 * Takes (creating if needed) the socket shared by every user of the same URL and options.
 * A user arriving at a socket that is `closed` (another user called `close()`, or it gave up)
 * reconnects it, unless it was made with `autoConnect: false`: a new component asks for a
 * connection, and must not inherit a dead one.
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
    const latest = { config: { url, options } };
    const forwarded = forwardFunctions(latest.config, () => latest.config);
    entry = { socket: new Socket(forwarded.url, forwarded.options), users: 0, latest };
    entries.set(key, entry);
  } else {
    entry.latest.config = { url, options };
    if (entry.socket.status === 'closed' && options?.autoConnect !== false) entry.socket.connect();
  }
  entry.users += 1;
  const held = entry;
  let released = false;
  return {
    socket: held.socket,
    key,
    update(nextUrl, nextOptions) {
      if (!released) held.latest.config = { url: nextUrl, options: nextOptions };
    },
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
