// Online/offline and page visibility, shared by every socket of the page. The window and
// document listeners are attached when the first socket starts watching and removed when the
// last one stops, so importing Lifeline touches no browser global and a socket costs one Set
// entry, not two listeners of its own.

/** A socket that wants to hear when retrying at once makes sense. */
export interface NetworkWatcher {
  /** The network came back (`online`), or a hidden page became visible. */
  _online(): void;
}

/** False only when the browser knows it is offline (`navigator.onLine === false`). */
export const isOnline = (): boolean =>
  typeof navigator === 'undefined' || navigator.onLine !== false;

// The listeners are attached exactly while this set is not empty.
const watchers = new Set<NetworkWatcher>();

// Both are moments when waiting out a backoff delay only wastes the user's time.
const notify = () => {
  for (const watcher of [...watchers]) watcher._online();
};
const onVisibility = () => {
  if (document.visibilityState === 'visible') notify();
};

/** Starts telling `watcher` when the network comes back or the page is shown again. */
export function watchNetwork(watcher: NetworkWatcher): void {
  if (typeof window === 'undefined' || typeof window.addEventListener !== 'function') return;
  if (watchers.size === 0) listen('addEventListener');
  watchers.add(watcher);
}

/** Attaches (or detaches) the two listeners every watcher shares. */
function listen(method: 'addEventListener' | 'removeEventListener'): void {
  window[method]('online', notify);
  document[method]('visibilitychange', onVisibility);
}

/** Stops telling `watcher`; the listeners go with the last watcher. */
export function unwatchNetwork(watcher: NetworkWatcher): void {
  if (watchers.delete(watcher) && watchers.size === 0) listen('removeEventListener');
}
