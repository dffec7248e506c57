// The `share` option (DESIGN §11): which sockets of an origin share one connection. Only the
// name is decided here; session.ts decides whether this browser can share at all.
import { DEV } from '../dev';
import { invalid } from '../options';
import { resolveUrl, type UrlInput } from '../url';

/** `share: { name }`: sockets with the same name in the tabs of one origin share a connection. */
export interface ShareOptions {
  /** Which sockets share. @defaultValue the URL string (required when the URL is a function) */
  name?: string;
}

/**
 * The name sockets share under, or `undefined` when `share` is off.
 * @throws LifelineError `ERR_INVALID_OPTION` for a bad value, or no name for a URL function
 */
export function shareName(url: UrlInput, share: unknown): string | undefined {
  if (share === undefined || share === false) return undefined;
  if (share !== true && (typeof share !== 'object' || !share))
    throw invalid('share', share, DEV ? 'expected true, false or { name }' : '');
  // `true.name` is undefined: the URL names it.
  const name = (share as ShareOptions).name;
  if (name === undefined && typeof url !== 'function') return resolveUrl(url);
  if (typeof name !== 'string' || !name)
    throw invalid(
      'share.name',
      name,
      DEV
        ? name === undefined
          ? 'required when the URL is a function: tabs must agree on one name'
          : 'expected a non-empty string'
        : '',
    );
  return name;
}
