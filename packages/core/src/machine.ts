/** Lifecycle status of a socket (see DESIGN §2). */
export type Status = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed';

// The only legal moves. Anything else is a bug in Lifeline and throws loudly in tests.
const NEXT: Record<Status, Status[]> = {
  idle: ['connecting', 'closed'],
  connecting: ['open', 'reconnecting', 'closing', 'closed'],
  open: ['reconnecting', 'closing', 'closed'],
  reconnecting: ['open', 'closing', 'closed'],
  closing: ['closed', 'connecting', 'reconnecting'],
  closed: ['connecting'],
};

/** Holds the status; the one place it changes. */
export class Machine {
  constructor(
    public status: Status,
    private onChange: (status: Status, previous: Status) => void,
  ) {}

  /** Moves to `next` (no-op when already there) and reports the change. */
  to(next: Status): void {
    const previous = this.status;
    if (next === previous) return;
    if (!NEXT[previous].includes(next))
      throw new Error(`Lifeline internal error: illegal status change ${previous} → ${next}`);
    this.status = next;
    this.onChange(next, previous);
  }

  /** True while the socket is trying to be connected (an attempt, a backoff wait, or open). */
  get active(): boolean {
    const s = this.status;
    return s === 'connecting' || s === 'open' || s === 'reconnecting';
  }
}
