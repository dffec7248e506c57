// The lifecycle's state machine: the statuses and the only moves between them. The socket
// holds its status in one field, changed in one method (`_to` in lifecycle.ts), which asks
// this table first.
import { DEV } from './dev';

/** Lifecycle status of a socket (see DESIGN §2). */
export type Status = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed';

// The only legal moves. Anything else is a bug in Lifeline and throws loudly in development.
const NEXT: Record<Status, Status[]> = {
  idle: ['connecting', 'closed'],
  connecting: ['open', 'reconnecting', 'closing', 'closed'],
  open: ['reconnecting', 'closing', 'closed'],
  reconnecting: ['open', 'closing', 'closed'],
  // connect() from closing completes the close first (closing → closed → connecting).
  closing: ['closed'],
  closed: ['connecting'],
};

/** Throws when `from → to` is not a legal move (development builds only: a Lifeline bug). */
export function checkMove(from: Status, to: Status): void {
  if (DEV && !NEXT[from].includes(to))
    throw new Error(`Lifeline internal error: illegal status change ${from} → ${to}`);
}

/** True while the socket tries to stay connected: an attempt, a backoff wait, or open. */
export const isActive = (status: Status): boolean =>
  status === 'connecting' || status === 'open' || status === 'reconnecting';

/**
 * `readyState` of a status: a socket waiting to reconnect reads `CONNECTING`, as natively.
 * Active statuses read 1 when open, else 0; written to minify small (a table or chain costs more).
 */
export const readyStateOf = (status: Status): number =>
  isActive(status) ? +(status === 'open') : status === 'closing' ? 2 : 3;
