// The bounded outbox for messages sent while the socket is not open. Kept behind a small
// interface (push, take, size, bytes, clear) so a durable store can replace it later.
import { DEV } from './dev';
import { fail } from './errors';
import type { OverflowMode } from './options';

/** Anything `WebSocket.send` accepts. */
export type SendData = string | ArrayBufferLike | Blob | ArrayBufferView;

/** Why a queued message was dropped. */
export type DropReason = 'overflow' | 'expired';

/** One queued message. */
export interface QueuedMessage {
  data: SendData;
  bytes: number;
  /** Monotonic time (`now()`) when queued, for `maxAge`. */
  at: number;
  /** Called when this message is dropped (requests use it to reject at once). */
  onDrop?: (reason: DropReason | 'cleared') => void;
  /** Called right after this message was handed to the transport. */
  onSend?: () => void;
}

/** Limits of the outbox (see `QueueOptions`). */
export interface OutboxLimits {
  maxMessages: number;
  maxBytes: number;
  maxAge: number;
  overflow: OverflowMode;
}

/** Size of `data` on the wire: UTF-8 bytes for text, byte length for binary. */
export function byteLength(data: SendData): number {
  if (typeof data === 'string') {
    let bytes = 0;
    for (let i = 0; i < data.length; i++) {
      const c = data.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < data.length) {
        bytes += 4; // a surrogate pair is one 4-byte code point
        i++;
      } else bytes += 3;
    }
    return bytes;
  }
  return (data as Blob).size ?? (data as ArrayBuffer).byteLength ?? 0;
}

/**
 * What to keep of `data` while it waits: binary buffers are copied, as the native socket does
 * at `send` time, so a caller reusing or transferring its buffer afterwards changes nothing.
 * Strings and Blobs are immutable and kept as they are.
 */
export function snapshot(data: SendData): SendData {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (typeof (data as ArrayBufferLike).slice === 'function' && 'byteLength' in data)
    return (data as ArrayBuffer).slice(0);
  return data;
}

/** FIFO with count, byte and age limits; every message it drops is reported through `onDrop`. */
export class Outbox {
  private _items: QueuedMessage[] = [];
  /** Total bytes queued. */
  bytes = 0;
  /**
   * Told of every message that leaves sent or dropped (not `remove`d or `clear`ed): one
   * function for all, where an `onSend`/`onDrop` of each would add to every message (persist).
   */
  onLeave: ((message: QueuedMessage) => void) | undefined;

  constructor(
    private _limits: OutboxLimits,
    private _report: (message: QueuedMessage, reason: DropReason) => void,
  ) {}

  /** Messages queued. */
  get size(): number {
    return this._items.length;
  }

  /** What is queued, oldest first (a view: do not change it). */
  get messages(): readonly QueuedMessage[] {
    return this._items;
  }

  /** Says `message`, taken, was handed to the transport. */
  sent(message: QueuedMessage): void {
    message.onSend?.();
    this.onLeave?.(message);
  }

  /**
   * Queues `message`, applying the overflow mode when a limit would be passed.
   * Throws `ERR_QUEUE_FULL` in `'error'` mode.
   */
  push(message: QueuedMessage): 'queued' | 'dropped' {
    const { maxMessages, maxBytes, overflow } = this._limits;
    const fits = () => this._items.length < maxMessages && this.bytes + message.bytes <= maxBytes;
    // Drops are reported only once the queue is consistent again: a `drop` listener may send.
    const dropped: Array<[QueuedMessage, DropReason]> = [];
    let result: 'queued' | 'dropped' = 'queued';
    try {
      // Expired messages would be dropped at the next flush anyway: make room with them first.
      while (
        !fits() &&
        this._items.length > 0 &&
        message.at - this._items[0]!.at > this._limits.maxAge
      )
        dropped.push([this._shift()!, 'expired']);
      if (!fits()) {
        if (overflow === 'error')
          throw fail(
            'ERR_QUEUE_FULL',
            DEV
              ? `The send queue is full (${this._items.length} messages, ${this.bytes} bytes; limits ${maxMessages} messages, ${maxBytes} bytes; this message: ${message.bytes} bytes). Wait for 'open', raise queue.maxMessages/maxBytes, or pick another queue.overflow mode.`
              : '',
          );
        // A message that could not fit even in an empty queue is dropped alone: evicting the
        // others for it would lose them all and still not make room.
        const couldFit = maxMessages > 0 && message.bytes <= maxBytes;
        if (overflow === 'drop-oldest' && couldFit)
          while (!fits()) dropped.push([this._shift()!, 'overflow']);
        else result = 'dropped';
      }
      if (result === 'queued') {
        this._items.push(message);
        this.bytes += message.bytes;
      } else dropped.push([message, 'overflow']);
    } finally {
      for (const [victim, reason] of dropped) this._drop(victim, reason);
    }
    return result;
  }

  /** Takes `message` out of the queue without a drop event (its sender gave up on it). */
  remove(message: QueuedMessage): void {
    const index = this._items.indexOf(message);
    if (index < 0) return;
    this._items.splice(index, 1);
    this.bytes -= message.bytes;
  }

  /** Puts `message` back at the head, where `take` found it (a flush that had to stop). */
  putBack(message: QueuedMessage): void {
    this._items.unshift(message);
    this.bytes += message.bytes;
  }

  /** Removes and returns the oldest message that is not older than `maxAge`; expired ones are dropped. */
  take(now: number): QueuedMessage | undefined {
    for (let message = this._shift(); message; message = this._shift()) {
      if (now - message.at <= this._limits.maxAge) return message;
      this._drop(message, 'expired');
    }
    return undefined;
  }

  /** Empties the queue without drop events (the caller asked for it); returns what was queued. */
  clear(): QueuedMessage[] {
    const items = this._items;
    this._items = [];
    this.bytes = 0;
    return items;
  }

  private _shift(): QueuedMessage | undefined {
    const message = this._items.shift();
    if (message) this.bytes -= message.bytes;
    return message;
  }

  private _drop(message: QueuedMessage, reason: DropReason): void {
    message.onDrop?.(reason);
    this.onLeave?.(message);
    this._report(message, reason);
  }
}
