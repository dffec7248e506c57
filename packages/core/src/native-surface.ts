// The event half of the native WebSocket surface: the readyState constants, the on<event>
// handler properties and addEventListener/removeEventListener, layered on the typed emitter
// so there is one listener list. The lifecycle (lifecycle.ts) builds on it.
import {
  addDomListener,
  callHandler,
  type DomType,
  removeDomListener,
  unlinkDropped,
} from './dom-events';
import { SafeEmitter } from './emitter';
import type { CloseEvent, ErrorEvent, OpenEvent, SocketEventMap } from './types';

/**
 * The `message` event listeners get: the native event's fields, with the Socket as `target`
 * and `currentTarget`. Rarely read fields are getters, so a frame costs one small object.
 */
class SocketMessageEvent {
  readonly data: unknown;
  readonly target: unknown;
  private readonly _native: MessageEvent;

  constructor(native: MessageEvent, target: unknown) {
    this.data = native.data;
    this.target = target;
    this._native = native;
  }
  get type(): 'message' {
    return 'message';
  }
  get currentTarget(): unknown {
    return this.target;
  }
  get origin(): string {
    return this._native.origin ?? '';
  }
  get lastEventId(): string {
    return this._native.lastEventId ?? '';
  }
  get timeStamp(): number {
    return this._native.timeStamp ?? 0;
  }
  get ports(): readonly MessagePort[] {
    return [];
  }
  get source(): null {
    return null;
  }
}

/** The native constants, events and listener methods every Lifeline socket has. */
export abstract class NativeSurface extends SafeEmitter<SocketEventMap> {
  // Getters, not static fields: an ES2020 build turns static fields into assignments after
  // the class, which bundlers must keep, so every import of the package would carry it.
  /** The connection is being established (also while waiting to reconnect). */
  static get CONNECTING(): 0 {
    return 0;
  }
  /** The connection is open. */
  static get OPEN(): 1 {
    return 1;
  }
  /** The connection is closing. */
  static get CLOSING(): 2 {
    return 2;
  }
  /** Closed, or never opened. */
  static get CLOSED(): 3 {
    return 3;
  }

  /** Native-style handler for `open`. */
  onopen: ((event: OpenEvent) => void) | null = null;
  /** Native-style handler for `message` (raw data, before envelope decoding). */
  onmessage: ((event: MessageEvent) => void) | null = null;
  /** Native-style handler for `error`: receives an event whose `error` is the Error. */
  onerror: ((event: ErrorEvent) => void) | null = null;
  /** Native-style handler for `close`. */
  onclose: ((event: CloseEvent) => void) | null = null;

  /**
   * Generation: bumped by every attempt and by every call that changes course (close,
   * reconnect, dispose). Timers, async URL providers and loops that call user code compare
   * it with what it was when they started, so nothing stale acts on a newer connection.
   */
  protected _connection = 0;

  /** Native constant: 0. */
  get CONNECTING(): 0 {
    return 0;
  }
  /** Native constant: 1. */
  get OPEN(): 1 {
    return 1;
  }
  /** Native constant: 2. */
  get CLOSING(): 2 {
    return 2;
  }
  /** Native constant: 3. */
  get CLOSED(): 3 {
    return 3;
  }

  /** Like `WebSocket.addEventListener` for `open`, `message`, `error` and `close`. */
  addEventListener(
    type: DomType,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    addDomListener(this as never, type, listener, options);
  }

  /** Like `WebSocket.removeEventListener`. */
  removeEventListener(type: DomType, listener: EventListenerOrEventListenerObject | null): void {
    removeDomListener(this as never, type, listener);
  }

  /** Removes every `on()` listener of `event` (or of all events), DOM-style ones included. */
  override removeAllListeners(event?: keyof SocketEventMap): this {
    const names = event === undefined ? this.eventNames() : [event];
    const dropped = names.flatMap((name) => this.listeners(name as keyof SocketEventMap));
    super.removeAllListeners(event);
    unlinkDropped(dropped); // DOM-style listeners with a signal stop listening to it
    return this;
  }

  /**
   * Dispatches `open`, `close` or `error` to the `on()` and DOM-style listeners, then to the
   * `on<type>` property, unless a listener changed course meanwhile.
   */
  protected _dispatch(type: Exclude<DomType, 'message'>, payload: unknown): void {
    const generation = this._connection;
    this._emit(type, payload);
    if (generation === this._connection) callHandler(this as never, type, payload);
  }

  /** Dispatches a received frame as a `message` event; costs nothing when nobody listens. */
  protected _dispatchMessage(native: MessageEvent): void {
    const handler = this.onmessage;
    if (!this._hasListeners('message') && !handler) return;
    const event = new SocketMessageEvent(native, this) as unknown as MessageEvent;
    this._emit('message', event);
    if (handler) callHandler(this as never, 'message', event);
  }

  /** Forgets every listener and handler property (dispose). */
  protected _dropListeners(): void {
    this.removeAllListeners();
    this.onopen = this.onmessage = this.onerror = this.onclose = null;
  }
}
