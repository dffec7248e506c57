import type { Socket } from '@lifeline/core';
import { useSyncExternalStore } from 'react';
import { NOT_RECONNECTING, type ReconnectInfo, reconnectInfoStore } from './reconnectInfo';

const noop = () => () => {};
const notReconnecting = () => NOT_RECONNECTING;

/**
 * The socket's retry in progress: `{ attempt, delay, retryAt }` while it is `reconnecting`,
 * {@link NOT_RECONNECTING} otherwise (also with no socket and during server rendering).
 * Re-renders the component only when that changes: when a retry is scheduled, and when the
 * socket leaves `reconnecting` (open, closed, gave up). The countdown itself is yours to tick
 * (the hook owns no timer): `retryAt` is a `Date.now()` timestamp.
 *
 * The info is followed from the moment a component first uses the hook for a socket: call it
 * where the socket is made (next to `useSocket`) to see a retry scheduled before other
 * components mount.
 *
 * @example
 * ```tsx
 * function Reconnecting({ socket }: { socket: Socket | null }) {
 *   const { attempt, retryAt } = useReconnectInfo(socket);
 *   const [now, setNow] = useState(Date.now);
 *   useEffect(() => {
 *     if (retryAt === undefined) return;
 *     const timer = setInterval(() => setNow(Date.now()), 250);
 *     return () => clearInterval(timer);
 *   }, [retryAt]);
 *   if (retryAt === undefined) return null;
 *   const seconds = Math.max(0, Math.ceil((retryAt - now) / 1000));
 *   return <p>Reconnecting in {seconds} s (attempt {attempt})</p>;
 * }
 * ```
 */
export function useReconnectInfo(socket: Socket | null | undefined): ReconnectInfo {
  const store = socket ? reconnectInfoStore(socket) : null;
  return useSyncExternalStore(
    store ? store.subscribe : noop,
    store ? store.get : notReconnecting,
    notReconnecting,
  );
}
