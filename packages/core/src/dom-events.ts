// `addEventListener`/`removeEventListener` and the `on<event>` handler properties, shaped like
// the native WebSocket's, layered on the typed emitter so there is one listener list.
import type { EventEmitter } from 'eventemitter3';
import { safeCall } from './emitter';

type DomType = 'open' | 'message' | 'error' | 'close';
type Wrapper = (payload: unknown) => void;
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
    ? { type, error: payload, message: (payload as Error).message, target }
    : payload;

/** The DOM-style listeners of one socket. */
export class DomEvents {
  private wrappers = new Map<DomType, Map<unknown, Wrapper>>();

  constructor(private host: Host) {}

  add(
    type: DomType,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    if (!listener) return;
    let byListener = this.wrappers.get(type);
    if (!byListener) {
      byListener = new Map();
      this.wrappers.set(type, byListener);
    }
    if (byListener.has(listener)) return; // native semantics: adding twice is a no-op
    const once = typeof options === 'object' && options.once === true;
    const wrapper: Wrapper = (payload) => {
      if (once) this.remove(type, listener);
      const event = toEvent(type, payload, this.host) as Event;
      if (typeof listener === 'function') listener.call(this.host, event);
      else listener.handleEvent(event);
    };
    byListener.set(listener, wrapper);
    this.host.on(type, wrapper);
  }

  remove(type: DomType, listener: EventListenerOrEventListenerObject | null): void {
    const wrapper = this.wrappers.get(type)?.get(listener);
    if (!wrapper) return;
    this.wrappers.get(type)!.delete(listener);
    this.host.off(type, wrapper);
  }

  /** Calls the `on<type>` handler property, if set, with the same event listeners get. */
  call(type: DomType, payload: unknown): void {
    const handler = this.host[HANDLER[type]] as ((event: unknown) => void) | null;
    if (typeof handler === 'function')
      safeCall(handler, this.host, toEvent(type, payload, this.host));
  }

  clear(): void {
    this.wrappers.clear();
  }
}
