// One entry of the durable outbox as IndexedDB stores it, and the check every record read
// back must pass: the database is shared with other tabs, other versions and anyone with
// DevTools, so what comes out is data to validate, not ours to trust.
import type { SendData } from '../queue';

/** A queued message (no `i`) or an unanswered request (`i`, `y`). */
export interface DurableRecord {
  /** Format version. */
  v: 1;
  /**
   * Owner: the socket instance that sends it (its Web Lock says whether it is alive). Not
   * checked on reading: an owner that is not a live lock's is a gone one.
   */
  o: string;
  /** Wall-clock time it was handed to Lifeline (ms since the epoch): ages survive reloads. */
  at: number;
  /** The frame, as it goes on the wire. */
  d: SendData;
  /** A request's id. */
  i?: string;
  /** A request's type. */
  y?: string;
}

// Wherever IndexedDB exists, so does Blob.
const isData = (d: unknown): boolean =>
  typeof d === 'string' || d instanceof ArrayBuffer || ArrayBuffer.isView(d) || d instanceof Blob;

/** Whether `value` is a record this version wrote (and can send). */
export function isRecord(value: unknown): value is DurableRecord {
  const r = value as Record<string, unknown> | null | undefined;
  return (
    r?.v === 1 &&
    typeof r.at === 'number' &&
    isData(r.d) &&
    (r.i === undefined ? r.y === undefined : typeof r.i === 'string' && typeof r.y === 'string')
  );
}
