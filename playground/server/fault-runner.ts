// Applies a validated fault to one connection (or, for `restart`, to the whole server).
import type { Fault } from './faults';

/** What a fault needs from the connection it hits. */
export interface FaultTarget {
  /** Send now, ignoring any reply delay: faults act at once. */
  sendNow(text: string): void;
  /** Kill the TCP connection without a close frame. */
  terminate(): void;
  close(code: number, reason: string): void;
  setBlackhole(): void;
  setDelay(ms: number): void;
  /** Take the whole WebSocket endpoint down for `seconds`. */
  restartServer(seconds: number): void;
  /** Start sending `count` flood envelopes (paced by the connection, one flood at a time). */
  startFlood(count: number, size: number): void;
}

/** A frame that starts like an envelope and never finishes. */
export const MALFORMED_FRAME = '{"type":"malformed","data":{"oops":';

/** Runs `fault` against `target`. Non-destructive faults are acknowledged first. */
export function applyFault(fault: Fault, target: FaultTarget): void {
  const acknowledge = () => target.sendNow(JSON.stringify({ type: 'fault', data: fault }));
  switch (fault.kind) {
    case 'drop':
      target.terminate();
      return;
    case 'close':
      target.close(fault.code, fault.reason);
      return;
    case 'restart':
      target.restartServer(fault.seconds);
      return;
    case 'blackhole':
      acknowledge();
      target.setBlackhole();
      return;
    case 'delay':
      acknowledge();
      target.setDelay(fault.ms);
      return;
    case 'flood':
      acknowledge();
      target.startFlood(fault.count, fault.size);
      return;
    case 'malformed':
      acknowledge();
      target.sendNow(MALFORMED_FRAME);
      return;
  }
}
