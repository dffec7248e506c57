/** What the reconnect policy knows about a closed connection. */
export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
}

/**
 * Close codes after which reconnecting cannot help: a normal closure, or the server rejecting
 * what we sent (protocol error, unsupported or invalid data, policy violation, too big,
 * missing extension). 4000–4999 are application codes (auth failure and the like) and are
 * fatal too unless `shouldReconnect` says otherwise.
 */
const FATAL_CODES = [1000, 1002, 1003, 1007, 1008, 1009, 1010];

/**
 * The default `shouldReconnect`: retry every unclean close (1006, connect timeout, heartbeat
 * timeout) and the server's "try again" codes (1001, 1011, 1012, 1013, 1014, and anything not
 * listed as fatal); never the fatal codes or 4000–4999.
 *
 * @example
 * ```ts
 * defaultShouldReconnect({ code: 1012, reason: 'restart', wasClean: true }); // true
 * defaultShouldReconnect({ code: 4001, reason: 'auth', wasClean: true }); // false
 * ```
 */
export function defaultShouldReconnect(close: CloseInfo): boolean {
  if (!close.wasClean) return true;
  return !FATAL_CODES.includes(close.code) && !(close.code >= 4000 && close.code <= 4999);
}
