import { type Codec, decodeEnvelope, isProtocolType } from '@lifeline/core';

// A JSON reply or protocol frame names `re` or a reserved type, perhaps through a \u escape:
// frames without any of these skip the second parse.
const MAY_BE_PROTOCOL = /"re"|"p[io]ng"|"(?:un)?subscribe"|\\u/;

/**
 * Whether a raw incoming frame is the application's: not a request's reply and not a protocol
 * frame (heartbeat pong, stream control), as `codec` (JSON by default) reads it. Text and
 * binary that are not envelopes at all are the application's too.
 *
 * @example
 * ```ts
 * isAppFrame('{"type":"chat","data":{}}'); // true
 * isAppFrame('{"type":"pong"}'); // false
 * ```
 */
export function isAppFrame(raw: unknown, codec?: Codec): boolean {
  if (!codec && (typeof raw !== 'string' || !MAY_BE_PROTOCOL.test(raw))) return true;
  let envelope: ReturnType<Codec['decode']>;
  try {
    envelope = codec ? codec.decode(raw) : decodeEnvelope(raw);
  } catch {
    return true; // core reports a throwing codec; the frame is still shown as raw data
  }
  return !envelope || (envelope.re === undefined && !isProtocolType(envelope.type));
}
