/**
 * The URL and options a shared socket is created with: a copy of the first user's, in which
 * every function (URL provider, `protocols`, `shouldReconnect`, `debug`, the methods of a codec
 * literal) is replaced by one that calls the function at the same place in the latest
 * configuration a component rendered. The key ignores which closure a render made (see
 * `socketKey.ts`), so this is how the socket still sees the token a fresh closure captured.
 */
import type { SocketOptions, UrlInput } from '@lifeline/core';
import { CONSTRUCTOR_PATH, isPlainObject } from './socketKey';

/** What a component passes to `useSocket(url, options)`. */
export interface SocketConfig {
  url: UrlInput;
  options: SocketOptions | undefined;
}

type Latest = () => SocketConfig;

function forwarder(latest: Latest, keys: readonly string[]): (...args: unknown[]) => unknown {
  return (...args) => {
    let parent: unknown = latest();
    for (const key of keys.slice(0, -1)) parent = (parent as Record<string, unknown>)[key];
    const holder = parent as Record<string, (...a: unknown[]) => unknown>;
    // Called on its object, so a codec literal's methods keep their `this`.
    return holder[keys[keys.length - 1]!]!(...args);
  };
}

function copy(value: unknown, latest: Latest, keys: readonly string[]): unknown {
  if (typeof value === 'function') {
    return keys.join('.') === CONSTRUCTOR_PATH ? value : forwarder(latest, keys);
  }
  if (typeof value !== 'object' || value === null || value instanceof URL) return value;
  if (Array.isArray(value)) return value.map((item, i) => copy(item, latest, [...keys, `${i}`]));
  // Class instances are keyed by identity, so the latest one is this very object.
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) out[name] = copy(item, latest, [...keys, name]);
  return out;
}

/**
 * `config` with its functions forwarding to `latest()`'s.
 *
 * @example
 * ```ts
 * let current = { url: () => `wss://a.example/ws?t=${token}`, options: undefined };
 * const forwarded = forwardFunctions(current, () => current);
 * current = { url: () => `wss://a.example/ws?t=${newToken}`, options: undefined };
 * (forwarded.url as () => string)(); // uses newToken
 * ```
 */
export function forwardFunctions(config: SocketConfig, latest: Latest): SocketConfig {
  return {
    url: copy(config.url, latest, ['url']) as UrlInput,
    options: copy(config.options, latest, ['options']) as SocketOptions | undefined,
  };
}
