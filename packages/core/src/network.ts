// Online/offline and page visibility. Listeners are attached only while a socket is active
// and removed when it closes, so importing Lifeline touches no browser global.

/** False only when the browser knows it is offline (`navigator.onLine === false`). */
export const isOnline = (): boolean =>
  typeof navigator === 'undefined' || navigator.onLine !== false;

/**
 * Calls `retryNow` when the network comes back (`online`) or a hidden page becomes visible:
 * both are moments when waiting out a backoff delay only wastes the user's time.
 * Returns the function that detaches the listeners.
 */
export function watchNetwork(retryNow: () => void): () => void {
  if (typeof window === 'undefined' || typeof window.addEventListener !== 'function')
    return () => {};
  const onVisibility = () => {
    if (document.visibilityState === 'visible') retryNow();
  };
  window.addEventListener('online', retryNow);
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    window.removeEventListener('online', retryNow);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
