// Device-wake detection. After a sleep a socket can still read OPEN over a TCP connection
// that died meanwhile; nothing tells the page. Two signals reveal a wake: the Page Lifecycle
// `resume` event, and a watchdog timer that finds the wall clock jumped far past its tick.

/** A wall-clock jump at least this large (ms) while the page stayed visible is a sleep. */
export const WAKE_THRESHOLD = 20000;
/** How often the watchdog looks at the clock (ms). */
export const WATCHDOG_TICK = 5000;

const visible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';

/**
 * Calls `onWake(sleptMs)` when the device wakes; returns the function that stops watching.
 * Hidden tabs have their timers throttled by the browser, so a jump seen while the page was
 * hidden at any point since the last tick is not a wake.
 */
export function watchWake(onWake: (sleptMs: number) => void): () => void {
  let last = Date.now();
  let hiddenMeanwhile = !visible();
  const timer = setInterval(() => {
    const now = Date.now();
    const slept = now - last - WATCHDOG_TICK;
    last = now;
    const trusted = !hiddenMeanwhile && visible();
    hiddenMeanwhile = !visible();
    if (trusted && slept >= WAKE_THRESHOLD) onWake(slept);
  }, WATCHDOG_TICK);

  if (typeof document === 'undefined' || typeof document.addEventListener !== 'function')
    return () => clearInterval(timer);
  const onResume = () => {
    const now = Date.now();
    onWake(Math.max(0, now - last));
    last = now;
  };
  const onVisibility = () => {
    if (!visible()) hiddenMeanwhile = true;
  };
  document.addEventListener('resume', onResume);
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    clearInterval(timer);
    document.removeEventListener('resume', onResume);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
