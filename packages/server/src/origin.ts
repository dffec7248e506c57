// Which pages may open a connection. Browsers send `Origin` on every WebSocket handshake and
// apply no same-origin rule to WebSockets, so without this check any site a user visits could
// connect with the user's cookies (cross-site WebSocket hijacking). Clients without an
// `Origin` are not browsers (servers, tools, tests) and are let in.
import { ServerError } from './errors';

/** The origin of `value` as browsers send it (`scheme://host[:port]`), or `undefined`. */
export function normalizeOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  // Opaque origins (file:, data:, sandboxed frames) serialize as "null" and name no site.
  return url.origin === 'null' ? undefined : url.origin;
}

/**
 * The origin written in `entry`. Throws `ERR_INVALID_OPTION` saying how to write one when it
 * has a path, query, credentials, or is no URL at all.
 *
 * @example
 * parseOrigin('https://app.example.com'); // 'https://app.example.com'
 */
export function parseOrigin(entry: string): string {
  const text = entry.trim();
  const origin = normalizeOrigin(text);
  const url = origin ? new URL(text) : undefined;
  if (!origin || !url || url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new ServerError(
      'ERR_INVALID_OPTION',
      `allowOrigins: ${JSON.stringify(entry)} is not an origin: write scheme://host[:port], e.g. https://app.example.com, or '*'`,
    );
  }
  return origin;
}

/** True when `origin` names the same host (and port) as the request's `Host` header. */
function sameHost(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const url = new URL(origin);
    // Parse the Host header with the origin's scheme so default ports compare equal.
    return new URL(`${url.protocol}//${host}`).host === url.host;
  } catch {
    return false;
  }
}

/**
 * A check of an upgrade request's `Origin` header: true when the handshake may proceed.
 * Passes with no `Origin` (not a browser), an origin on the same host as the `Host` header,
 * an origin in `allowed`, or anything when `allowed` holds `'*'`.
 */
export function createOriginCheck(
  allowed: readonly string[],
): (origin: string | undefined, host: string | undefined) => boolean {
  if (allowed.includes('*')) return () => true;
  const set = new Set(allowed.map(parseOrigin));
  return (origin, host) => {
    if (origin === undefined) return true;
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined) return false;
    return set.has(normalized) || sameHost(normalized, host);
  };
}
