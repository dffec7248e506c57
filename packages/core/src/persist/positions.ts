// Stream positions across a reload (DESIGN §10): written to sessionStorage on `pagehide` (the
// last moment a page reliably gets, and one that keeps it eligible for the back/forward
// cache), read back by the next page of the tab. Older than 2 minutes, a position is not
// reused: the subscription starts fresh, as without persist.
import { isSeq } from '../seq';
import type { StreamPosition } from '../types';

/** How long after `pagehide` a saved position is still resumed from (ms). */
export const RESUME_WITHIN = 120000;

const key = (name: string) => `lifeline-persist:${name}:streams`;

/** Saves `positions` for the next page of this tab; storage errors are ignored (best effort). */
export function savePositions(name: string, positions: Array<[string, StreamPosition]>): void {
  try {
    sessionStorage.setItem(key(name), JSON.stringify([Date.now(), positions]));
  } catch {
    // No sessionStorage (private mode, quota, Node): subscriptions start fresh after a reload.
  }
}

/**
 * What the previous page of this tab saved: a function that gives each stream's position
 * once, and only within 2 minutes of that save. Anything malformed is skipped (a missing or
 * unreadable save throws inside the try); a position is rebuilt from its two fields.
 */
export function loadPositions(name: string): (stream: string) => StreamPosition | undefined {
  const saved = new Map<unknown, StreamPosition>();
  let at = 0; // none saved: too old
  try {
    const [time, list] = JSON.parse(sessionStorage.getItem(key(name))!);
    at = time;
    for (const [stream, p] of list)
      if (typeof p?.epoch === 'string' && isSeq(p.seq))
        saved.set(stream, { epoch: p.epoch, seq: p.seq });
  } catch {
    // Nothing saved, or not in the shape above: start fresh.
  }
  return (stream) => {
    const position = saved.get(stream);
    saved.delete(stream);
    return Date.now() - at <= RESUME_WITHIN ? position : undefined;
  };
}
