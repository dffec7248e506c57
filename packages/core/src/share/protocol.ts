// The messages tabs exchange over the BroadcastChannel `lifeline:<name>` (DESIGN §11). A hub
// (the leader tab's) talks to transports (one per connection attempt of a tab's socket):
//   hub → tabs   b beacon · o opened · m frame(s) from the server · x closed
//   tabs → hub   p probe (answered by a beacon) · a attach · f frame to send · c detach
// Every message but a probe carries the term of the hub it comes from or is meant for; `to`
// lists the transports it is for (none: every transport attached to that term). A transport
// id is `<tab>.<n>`, where the tab holds the Web Lock `lifeline:<name>:tab:<tab>` while it takes
// part: the hub forgets the transports of a tab whose lock is gone (it crashed).
// Field names are one letter (they are on the wire and in the script-tag build, which keeps
// them) and never start with `_`: the builds rename such properties, and every build of every
// version-1 tab must read them alike.

/** Version of these messages; a tab ignores (and counts) messages of any other. */
export const SHARE_VERSION = 1;

/** One message between tabs. */
export interface ShareMessage {
  /** Version: {@link SHARE_VERSION}. */
  v?: number;
  /** Kind (above). */
  k: 'b' | 'o' | 'm' | 'x' | 'p' | 'a' | 'f' | 'c';
  /** Term of the hub. */
  n?: number;
  /** The transport a tab message is from. */
  t?: string;
  /** The transports a hub message is for; absent: all of its term. */
  to?: string[];
  /** A frame (`m`, `f`). */
  d?: unknown;
  /** Attach: the URL and subprotocols of the attempt. */
  u?: string;
  s?: string | string[];
  /** Opened: the subprotocol and extensions the server chose. */
  p?: string;
  e?: string;
  /** Closed, detach: the close code and reason. */
  c?: number;
  r?: string;
  /** Closed: clean (`wasClean`), and whether the real socket failed (`error`) first. */
  l?: boolean;
  x?: boolean;
}

/** Whether `m` is a message of this version that a tab can act on. */
export function isShareMessage(m: unknown): m is ShareMessage {
  const { v, k, n, t = '', to = [] } = (m ?? 0) as Record<string, unknown>;
  return (
    v === SHARE_VERSION &&
    [...'bomxpafc'].includes(k as string) && // a string of one of these letters
    (k === 'p' || typeof n === 'number') &&
    typeof t === 'string' &&
    Array.isArray(to)
  );
}

/** Whether `m` goes from a tab to the hub (else from a hub to tabs). */
export const toHub = (m: ShareMessage): boolean => 'pafc'.includes(m.k);
