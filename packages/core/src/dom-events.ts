// `addEventListener`/`removeEventListener` and the `on<event>` handler properties, shaped like
// the native WebSocket's, layered on the typed emitter so there is one listener list.
import type { EventEmitter } from 'eventemitter3';
import { safeCall } from './emitter';

/** The four events of the native surface. */
export type DomType = 'open' | 'message' | 'error' | 'close';
interface Host extends EventEmitter {
  onopen: unknown;
  onmessage: unknown;
  onerror: unknown;
  onclose: unknown;
}

const toEvent = (type: DomType, payload: unknown, target: unknown) =>
  // `on('error')` listeners get the Error; DOM-style listeners get an event carrying it.
  type === 'error'
    ? { type, error: payload, message: (payload as Error).message, target, currentTarget: target }
    : payload;

/** Calls `host.on<type>`, if set, with the same event listeners get. */
export function callHandler(host: Host, type: DomType, payload: unknown): void {
  const handler = host[`on${type}`] as ((event: unknown) => void) | null;
  if (typeof handler === 'function') safeCall(handler, host, toEvent(type, payload, host));
}

/**
 * What the emitter holds for one DOM-style listener: a wrapper that remembers the listener
 * (so `removeEventListener` and the duplicate check find it among the emitter's listeners,
 * with no second list to keep in step), whether it was removed, and how to detach its signal.
 */
type Wrapper = ((payload: unknown) => void) & {
  _listener?: EventListenerOrEventListenerObject;
  _removed?: boolean;
  _unlink?: () => void;
};

const wrapperOf = (host: Host, type: DomType, listener: unknown): Wrapper | undefined =>
  (host.listeners(type) as Wrapper[]).find((wrapper) => wrapper._listener === listener);

/** Like `EventTarget.addEventListener`: `once` and `signal` honoured, adding twice a no-op. */
export function addDomListener(
  host: Host,
  type: DomType,
  listener: EventListenerOrEventListenerObject | null,
  options?: boolean | AddEventListenerOptions,
): void {
  if (!listener) return;
  // A boolean `options` is `capture`, which has no meaning here.
  const { once, signal } = (typeof options === 'object' && options) || {};
  if (signal?.aborted || wrapperOf(host, type, listener)) return;
  const wrapper: Wrapper = (payload) => {
    // The emitter calls a snapshot of its listeners: one removed earlier in this same
    // dispatch must not run, as with the native EventTarget.
    if (wrapper._removed) return;
    if (once) removeDomListener(host, type, listener);
    const event = toEvent(type, payload, host) as Event;
    if (typeof listener === 'function') listener.call(host, event);
    else listener.handleEvent(event);
  };
  wrapper._listener = listener;
  host.on(type, wrapper);
  if (signal) {
    const onAbort = () => removeDomListener(host, type, listener);
    signal.addEventListener('abort', onAbort, { once: true });
    wrapper._unlink = () => signal.removeEventListener('abort', onAbort);
  }
}

/** Like `EventTarget.removeEventListener`. */
export function removeDomListener(host: Host, type: DomType, listener: unknown): void {
  const wrapper = wrapperOf(host, type, listener);
  if (!wrapper) return;
  wrapper._removed = true;
  host.off(type, wrapper);
  wrapper._unlink?.();
}

/** Detaches the signals of DOM-style listeners the emitter dropped wholesale. */
export function unlinkDropped(listeners: unknown[]): void {
  for (const wrapper of listeners as Wrapper[]) wrapper._unlink?.();
}
