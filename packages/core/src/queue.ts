// The bounded outbox for messages sent while the socket is not open. Kept behind a small
// interface (push, take, size, bytes, clear) so a durable store can replace it later.
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
  /** `Date.now()` when queued, for `maxAge`. */
  at: number;
  /** Called when this message is dropped (requests use it to reject at once). */
  onDrop?: (reason: DropReason | 'cleared') => void;
  /** Called right after this message was handed to the transport. */
  onSend?: () => void;
  /** False once the sender gave up on it (a request that timed out or was aborted). */
  live?: () => boolean;
}

const dead = (message: QueuedMessage) => message.live !== undefined && !message.live();

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

/** FIFO with count, byte and age limits; every message it drops is reported through `onDrop`. */
export class Outbox {
  private items: QueuedMessage[] = [];
  /** Total bytes queued. */
  bytes = 0;

  constructor(
    private limits: OutboxLimits,
    private report: (message: QueuedMessage, reason: DropReason) => void,
  ) {}

  /** Messages queued. */
  get size(): number {
    return this.items.length;
  }

  /**
   * Queues `message`, applying the overflow mode when a limit would be passed.
   * Throws `ERR_QUEUE_FULL` in `'error'` mode.
   */
  push(message: QueuedMessage): 'queued' | 'dropped' {
    const { maxMessages, maxBytes, overflow } = this.limits;
    const fits = () => this.items.length < maxMessages && this.bytes + message.bytes <= maxBytes;
    if (!fits() && this.items.some(dead)) {
      // Requests that already settled must never be sent; they free their room first.
      this.items = this.items.filter((m) => !dead(m));
      this.bytes = this.items.reduce((sum, m) => sum + m.bytes, 0);
    }
    if (!fits()) {
      // Expired messages would be dropped at the next flush anyway: make room with them first.
      while (this.items.length > 0 && message.at - this.items[0]!.at > this.limits.maxAge)
        this.drop(this.shift()!, 'expired');
    }
    if (!fits()) {
      if (overflow === 'error')
        throw fail(
          'ERR_QUEUE_FULL',
          `The send queue is full (${this.items.length} messages, ${this.bytes} bytes; limits ${maxMessages} messages, ${maxBytes} bytes). Wait for 'open', raise queue.maxMessages/maxBytes, or pick another queue.overflow mode.`,
        );
      if (overflow === 'drop-oldest') {
        while (this.items.length > 0 && !fits()) this.drop(this.shift()!, 'overflow');
      }
      if (!fits()) {
        this.drop(message, 'overflow');
        return 'dropped';
      }
    }
    this.items.push(message);
    this.bytes += message.bytes;
    return 'queued';
  }

  /** Removes and returns the oldest message that is not older than `maxAge`; expired ones are dropped. */
  take(now: number): QueuedMessage | undefined {
    for (let message = this.shift(); message; message = this.shift()) {
      // A dead message's sender was already told (its request rejected): skip it quietly.
      if (dead(message)) continue;
      if (now - message.at <= this.limits.maxAge) return message;
      this.drop(message, 'expired');
    }
    return undefined;
  }

  /** Empties the queue without drop events (the caller asked for it); returns what was queued. */
  clear(): QueuedMessage[] {
    const items = this.items;
    this.items = [];
    this.bytes = 0;
    return items;
  }

  private shift(): QueuedMessage | undefined {
    const message = this.items.shift();
    if (message) this.bytes -= message.bytes;
    return message;
  }

  private drop(message: QueuedMessage, reason: DropReason): void {
    message.onDrop?.(reason);
    this.report(message, reason);
  }
}
