/**
 * Keys for the shared-socket registry: two `useSocket` calls share one socket exactly when
 * their URL and options serialize to the same key. Plain data is compared by value (object
 * keys sorted, so `{ a, b }` and `{ b, a }` match); class instances (a codec made with `new`)
 * by identity. Functions are named by a {@link FunctionMarker}: by identity by default, and
 * inside `useSocket` by {@link functionMarkers}, which keeps an inline function's marker across
 * re-renders (the socket then calls the latest function, see `forward.ts`).
 */

/** A function option's contribution to a key; `path` is where it sits (`'options.debug'`). */
export type FunctionMarker = (fn: Function, path: string) => string;

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

const byIdentity: FunctionMarker = (fn) => `f${identityOf(fn)}`;

/** The one function option passed to the socket as is, never forwarded: a constructor. */
export const CONSTRUCTOR_PATH = 'options.WebSocket';

/**
 * Markers for one `useSocket` call: the first function seen at a path with a given source text
 * names every later function at that path with the same source. So an inline closure, new on
 * every render, keeps the key (and the connection), while editing the code to a different
 * function changes it. Two components share a socket through a function only when they pass
 * the same function object (module scope, `useCallback`): inline closures with equal source
 * may capture different values (a room id, a token), so they are never merged.
 *
 * @example
 * ```ts
 * const marker = functionMarkers();
 * socketKey(() => `${base}?t=${a}`, {}, marker) === socketKey(() => `${base}?t=${b}`, {}, marker); // true
 * ```
 */
export function functionMarkers(): FunctionMarker {
  const seen = new Map<string, string>();
  return (fn, path) => {
    if (path === CONSTRUCTOR_PATH) return byIdentity(fn, path);
    const source = `${path}\n${Function.prototype.toString.call(fn)}`;
    let marker = seen.get(source);
    if (marker === undefined) {
      marker = byIdentity(fn, path);
      seen.set(source, marker);
    }
    return marker;
  };
}

/** Whether `value` is an object literal (or `Object.create(null)`): compared and copied by value. */
export function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function serialize(value: unknown, marker: FunctionMarker, path: string): string {
  if (value === undefined) return 'u';
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  // JSON would turn Infinity and NaN into null; `maxAttempts: Infinity` must not match null.
  if (typeof value === 'number') return Object.is(value, -0) ? '0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return `s${String(value)}`;
  if (typeof value === 'function') return marker(value, path);
  const object = value as object;
  // A URL object names the same endpoint as its string form.
  if (object instanceof URL) return JSON.stringify(object.href);
  if (Array.isArray(object)) {
    return `[${object.map((item, i) => serialize(item, marker, `${path}.${i}`)).join(',')}]`;
  }
  if (!isPlainObject(object)) return `o${identityOf(object)}`;
  const record = object as Record<string, unknown>;
  const entries = Object.keys(record)
    .sort()
    // An option set to undefined means the same as an option left out.
    .filter((name) => record[name] !== undefined)
    .map((name) => `${JSON.stringify(name)}:${serialize(record[name], marker, `${path}.${name}`)}`);
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
export function socketKey(url: unknown, options: unknown, marker = byIdentity): string {
  return `${serialize(url, marker, 'url')}|${serialize(options ?? {}, marker, 'options')}`;
}
