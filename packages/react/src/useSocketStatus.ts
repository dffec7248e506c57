import type { Socket, Status } from '@lifeline/core';
import { useCallback, useSyncExternalStore } from 'react';

// Without a socket (before mount, or on the server) nothing has connected yet.
const idle = (): Status => 'idle';

/**
 * The socket's {@link Status}, re-rendering the component whenever it changes. `'idle'` while
 * there is no socket (`null`/`undefined`) and during server rendering.
 *
 * @example
 * ```tsx
 * function Badge({ socket }: { socket: Socket }) {
 *   const status = useSocketStatus(socket);
 *   return <span className={status}>{status}</span>;
 * }
 * ```
 */
export function useSocketStatus(socket: Socket | null | undefined): Status {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (!socket) return () => {};
      socket.on('status', onChange);
      return () => {
        socket.off('status', onChange);
      };
    },
    [socket],
  );
  const getSnapshot = useCallback((): Status => socket?.status ?? 'idle', [socket]);
  return useSyncExternalStore(subscribe, getSnapshot, idle);
}
