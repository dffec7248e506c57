// Which pages may open `/ws`. Browsers send `Origin` on every WebSocket handshake and apply no
// same-origin rule to WebSockets, so any site the developer visits could otherwise connect to
// the dev server, read the `hello` and send `restart` (cross-site WebSocket hijacking).
// @lifeline/server enforces the list (`allowOrigins`); this file only works out the list, plus
// the one check the package leaves to its user: the `Host` a browser asked for.
import { parseOrigin } from '@lifeline/server';

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
 * Parses a comma-separated list of origins (`PLAYGROUND_ORIGINS`); throws the package's
 * `ERR_INVALID_OPTION` naming an entry that is not `scheme://host[:port]`.
 *
 * @example
 * parseOriginList('http://192.168.1.20:8787, https://tunnel.example.net');
 */
export function parseOriginList(text: string): string[] {
  return text
    .split(',')
    .filter((entry) => entry.trim() !== '')
    .map(parseOrigin);
}

/**
 * A check of a browser handshake's `Host` header: true when it names one of `origins`' hosts.
 * The package accepts a page whose `Origin` matches the `Host` it asked for; after DNS
 * rebinding (a hostile name pointed at 127.0.0.1) both name the attacker's host, so the dev
 * server also requires a `Host` that is one of its own names.
 */
export function createHostCheck(origins: Iterable<string>): (host: string | undefined) => boolean {
  const hosts = new Set([...origins].map((origin) => new URL(origin).host));
  return (host) => {
    if (host === undefined) return false;
    try {
      return hosts.has(new URL(`http://${host}`).host);
    } catch {
      return false;
    }
  };
}
