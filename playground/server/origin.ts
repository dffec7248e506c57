// Which pages may open `/ws`. Browsers send `Origin` on every WebSocket handshake and apply no
// same-origin rule to WebSockets, so without this check any site the developer visits could
// connect to the dev server, read the `hello` and send `restart` (cross-site WebSocket
// hijacking). Clients without an `Origin` are not browsers (Node tools, tests) and are let in.

/** The origin of `value` in the form browsers send (`scheme://host[:port]`), or `undefined`. */
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

/** The origins of pages this server itself serves on `port`. */
export function ownOrigins(host: string, port: number): string[] {
  const hosts = ['127.0.0.1', 'localhost', '[::1]'];
  const own = host.includes(':') ? `[${host}]` : host;
  // A wildcard address is not a page origin; someone reaching it by a LAN name or address
  // adds that origin explicitly.
  if (!hosts.includes(own) && own !== '0.0.0.0' && own !== '[::]') hosts.push(own);
  return hosts.map((name) => `http://${name}:${port}`);
}

/**
 * The origin written in `entry`, as browsers send it. Throws an `Error` saying how to write one
 * when `entry` has a path, query, credentials, or is no URL at all.
 *
 * @example
 * parseOrigin('http://192.168.1.20:8787'); // 'http://192.168.1.20:8787'
 */
export function parseOrigin(entry: string): string {
  const origin = normalizeOrigin(entry.trim());
  const url = origin ? new URL(entry.trim()) : undefined;
  if (!origin || !url || url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new Error(
      `${JSON.stringify(entry)} is not an origin: write scheme://host[:port], e.g. http://192.168.1.20:8787`,
    );
  }
  return origin;
}

/** Parses a comma-separated list of origins (`PLAYGROUND_ORIGINS`); throws like `parseOrigin`. */
export function parseOriginList(text: string): string[] {
  return text
    .split(',')
    .filter((entry) => entry.trim() !== '')
    .map(parseOrigin);
}

/**
 * A check for the `Origin` header of an upgrade request: true when the handshake may proceed.
 * A missing header passes (not a browser); `"null"` and every origin not listed fail.
 */
export function createOriginCheck(
  allowed: Iterable<string>,
): (origin: string | undefined) => boolean {
  const set = new Set([...allowed].map((origin) => normalizeOrigin(origin) ?? origin));
  return (origin) => {
    if (origin === undefined) return true;
    const normalized = normalizeOrigin(origin);
    return normalized !== undefined && set.has(normalized);
  };
}
