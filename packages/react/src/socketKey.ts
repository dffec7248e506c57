/**
 * Keys for the shared-socket registry: two `useSocket` calls share one socket exactly when
 * their URL and options serialize to the same key. Plain data is compared by value (object
 * keys sorted, so `{ a, b }` and `{ b, a }` match); functions and class instances (a URL
 * provider, `shouldReconnect`, a `WebSocket` constructor, a codec) are compared by identity,
 * because two different functions may behave differently even when their source is equal.
 */

// Identity numbers for non-plain values. A WeakMap so keys never keep a function alive.
const identities = new WeakMap<object, number>();
let nextIdentity = 1;

function identityOf(value: object): number {
  let id = identities.get(value);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(value, id);
  }
  return id;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function serialize(value: unknown): string {
  if (value === undefined) return 'u';
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  // JSON would turn Infinity and NaN into null; `maxAttempts: Infinity` must not match null.
  if (typeof value === 'number') return Object.is(value, -0) ? '0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function' || typeof value === 'symbol') {
    return typeof value === 'symbol' ? `s${String(value)}` : `f${identityOf(value)}`;
  }
  const object = value as object;
  // A URL object names the same endpoint as its string form.
  if (object instanceof URL) return JSON.stringify(object.href);
  if (Array.isArray(object)) return `[${object.map(serialize).join(',')}]`;
  if (!isPlainObject(object)) return `o${identityOf(object)}`;
  const entries = Object.keys(object)
    .sort()
    // An option set to undefined means the same as an option left out.
    .filter((name) => (object as Record<string, unknown>)[name] !== undefined)
    .map(
      (name) => `${JSON.stringify(name)}:${serialize((object as Record<string, unknown>)[name])}`,
    );
  return `{${entries.join(',')}}`;
}

/**
 * A stable string naming a socket configuration.
 *
 * @example
 * ```ts
 * socketKey('wss://a.example/ws', { heartbeat: true }) ===
 *   socketKey('wss://a.example/ws', { heartbeat: true }); // true
 * ```
 */
export function socketKey(url: unknown, options: unknown): string {
  return `${serialize(url)}|${serialize(options ?? {})}`;
}
