import type { RetryInfo, Socket } from '@lifeline/core';
import { useSyncExternalStore } from 'react';
import { reconnectInfoStore } from './reconnectInfo';

const noop = () => () => {};
const none = () => null;

/**
 * The socket's retry in progress, `socket.retry`: `{ attempt, delay, retryAt }` from the moment
 * a retry is scheduled until the socket leaves `reconnecting`; `null` otherwise (also with no
 * socket and during server rendering). A component that mounts during a wait sees that wait at
 * once. Re-renders the component only when the info changes: when a retry is scheduled, and
 * when the socket leaves `reconnecting` (open, closed, gave up). The countdown itself is yours
 * to tick (the hook owns no timer): `retryAt` is on the `performance.now()` clock.
 *
 * @example
 * ```tsx
 * function Reconnecting({ socket }: { socket: Socket | null }) {
 *   const retry = useReconnectInfo(socket);
 *   const [now, setNow] = useState(() => performance.now());
 *   useEffect(() => {
 *     if (!retry) return;
 *     const timer = setInterval(() => setNow(performance.now()), 250);
 *     return () => clearInterval(timer);
 *   }, [retry]);
 *   if (!retry) return null;
 *   const seconds = Math.max(0, Math.ceil((retry.retryAt - now) / 1000));
 *   return <p>Reconnecting in {seconds} s (attempt {retry.attempt})</p>;
 * }
 * ```
 */
export function useReconnectInfo(socket: Socket | null | undefined): RetryInfo | null {
  const store = socket ? reconnectInfoStore(socket) : null;
  return useSyncExternalStore(store ? store.subscribe : noop, store ? store.get : none, none);
}
