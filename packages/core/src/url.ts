import { DEV } from './dev';
import { fail } from './errors';

/** A URL, or a function called before every attempt (e.g. to put a fresh token in). */
export type UrlInput = string | URL | (() => string | URL | Promise<string | URL>);

/**
 * Turns `input` into an absolute `ws:`/`wss:` URL: relative and `http(s):` URLs resolve
 * against the page's `location` and map to `ws(s):`. Throws `ERR_INVALID_URL` otherwise.
 *
 * @example
 * ```ts
 * // on https://app.example.com/chat
 * resolveUrl('/ws'); // 'wss://app.example.com/ws'
 * ```
 */
export function resolveUrl(input: string | URL): string {
  if (typeof input !== 'string' && !(input instanceof URL))
    throw fail(
      'ERR_INVALID_URL',
      DEV ? `Invalid URL ${String(input)}: expected a string or URL.` : '',
    );
  const base = typeof location === 'undefined' ? undefined : location.href;
  let url: URL;
  try {
    url = new URL(input, base);
  } catch {
    throw fail(
      'ERR_INVALID_URL',
      DEV
        ? `Invalid URL "${String(input)}": use an absolute ws:// or wss:// URL` +
            (base ? '.' : ' (relative URLs need a page location).')
        : '',
    );
  }
  // http: → ws:, https: → wss:. Only those two can turn into ws: or wss: this way, and any
  // other scheme fails the check below whatever the replacement made of it.
  url.protocol = url.protocol.replace(/^http/, 'ws');
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    throw fail(
      'ERR_INVALID_URL',
      DEV ? `Invalid URL "${String(input)}": the scheme must be ws:, wss:, http: or https:.` : '',
    );
  url.hash = ''; // fragments are not allowed in WebSocket URLs
  return url.href;
}
