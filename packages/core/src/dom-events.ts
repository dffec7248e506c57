// `addEventListener`/`removeEventListener` and the `on<event>` handler properties, shaped like
// the native WebSocket's, layered on the typed emitter so there is one listener list.
import type { EventEmitter } from 'eventemitter3';
import { safeCall } from './emitter';

/** The four events of the native surface. */
export type DomType = 'open' | 'message' | 'error' | 'close';
/** What the emitter calls for one DOM-style listener; `unlink` detaches it from its signal. */
type Wrapper = ((payload: unknown) => void) & { unlink?: () => void };
interface Host extends EventEmitter {
  onopen: unknown;
  onmessage: unknown;
  onerror: unknown;
  onclose: unknown;
}

const HANDLER = {
  open: 'onopen',
  message: 'onmessage',
  error: 'onerror',
  close: 'onclose',
} as const;

const toEvent = (type: DomType, payload: unknown, target: unknown) =>
  // `on('error')` listeners get the Error; DOM-style listeners get an event carrying it.
  type === 'error'
    ? { type, error: payload, message: (payload as Error).message, target, currentTarget: target }
    : payload;

/** Calls `host.on<type>`, if set, with the same event listeners get. */
export function callHandler(host: Host, type: DomType, payload: unknown): void {
  const handler = host[HANDLER[type]] as ((event: unknown) => void) | null;
  if (typeof handler === 'function') safeCall(handler, host, toEvent(type, payload, host));
}

/** The DOM-style listeners of one socket. */
export class DomEvents {
  private _wrappers = new Map<DomType, Map<unknown, Wrapper>>();

  constructor(private _host: Host) {}

  add(
    type: DomType,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    if (!listener) return;
    const { once = false, signal } = typeof options === 'object' && options !== null ? options : {};
    if (signal?.aborted) return;
    let byListener = this._wrappers.get(type);
    if (!byListener) {
      byListener = new Map();
      this._wrappers.set(type, byListener);
    }
    if (byListener.has(listener)) return; // native semantics: adding twice is a no-op
    const wrapper: Wrapper = (payload) => {
      // The emitter calls a snapshot of its listeners: one removed earlier in this same
      // dispatch must not run, as with the native EventTarget.
      if (byListener.get(listener) !== wrapper) return;
      if (once) this.remove(type, listener);
      const event = toEvent(type, payload, this._host) as Event;
      if (typeof listener === 'function') listener.call(this._host, event);
      else listener.handleEvent(event);
    };
    byListener.set(listener, wrapper);
    this._host.on(type, wrapper);
    if (signal) {
      const onAbort = () => this.remove(type, listener);
      signal.addEventListener('abort', onAbort, { once: true });
      wrapper.unlink = () => signal.removeEventListener('abort', onAbort);
    }
  }

  remove(type: DomType, listener: EventListenerOrEventListenerObject | null): void {
    const byListener = this._wrappers.get(type);
    const wrapper = byListener?.get(listener);
    if (!wrapper) return;
    byListener!.delete(listener);
    this._host.off(type, wrapper);
    wrapper.unlink?.();
  }

  /** Forgets the listeners of `type` (or all) after the emitter dropped them wholesale. */
  clear(type?: string | symbol): void {
    for (const [name, byListener] of this._wrappers) {
      if (type !== undefined && name !== type) continue;
      for (const wrapper of byListener.values()) wrapper.unlink?.();
      this._wrappers.delete(name);
    }
  }
}
