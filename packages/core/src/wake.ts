// Device-wake detection, shared by every open socket of the page. After a sleep a socket can
// still read OPEN over a TCP connection that died meanwhile; nothing tells the page. Two
// signals reveal a wake: the Page Lifecycle `resume` event, and a watchdog timer that finds the
// wall clock jumped far past its tick (the wall clock on purpose: a jump is what it looks for).
// One watchdog and one pair of listeners serve all sockets, and only while one is open.

/** A wall-clock jump at least this large (ms) while the page stayed visible is a sleep. */
export const WAKE_THRESHOLD = 20000;
/** How often the watchdog looks at the clock (ms). */
export const WATCHDOG_TICK = 5000;

/** An open socket that wants to hear about wakes. */
export interface WakeWatcher {
  /** The device woke after about `sleptMs` ms. */
  _woke(sleptMs: number): void;
}

const visible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';
const hasDocument = () =>
  typeof document !== 'undefined' && typeof document.addEventListener === 'function';

// The watchdog runs and the listeners are attached exactly while this set is not empty.
const watchers = new Set<WakeWatcher>();
let timer: ReturnType<typeof setInterval> | undefined;
let last = 0;
let hiddenMeanwhile = false;

const wake = (sleptMs: number) => {
  for (const watcher of [...watchers]) watcher._woke(sleptMs);
};

// Hidden tabs have their timers throttled by the browser, so a jump seen while the page was
// hidden at any point since the last tick is not a wake.
const tick = () => {
  const now = Date.now();
  const slept = now - last - WATCHDOG_TICK;
  last = now;
  const trusted = !hiddenMeanwhile && visible();
  hiddenMeanwhile = !visible();
  if (trusted && slept >= WAKE_THRESHOLD) wake(slept);
};
const onResume = () => {
  const now = Date.now();
  const slept = Math.max(0, now - last);
  last = now;
  wake(slept);
};
const onVisibility = () => {
  if (!visible()) hiddenMeanwhile = true;
};

/** Attaches (or detaches) the document listeners, where there is a document. */
const listen = (method: 'addEventListener' | 'removeEventListener') => {
  if (!hasDocument()) return;
  document[method]('resume', onResume);
  document[method]('visibilitychange', onVisibility);
};

/** Starts telling `watcher` about wakes. */
export function watchWake(watcher: WakeWatcher): void {
  if (watchers.size === 0) {
    last = Date.now();
    hiddenMeanwhile = !visible();
    timer = setInterval(tick, WATCHDOG_TICK);
    listen('addEventListener');
  }
  watchers.add(watcher);
}

/** Stops telling `watcher`; the watchdog and listeners go with the last watcher. */
export function unwatchWake(watcher: WakeWatcher): void {
  if (!watchers.delete(watcher) || watchers.size > 0) return;
  clearInterval(timer);
  listen('removeEventListener');
}
