// The arguments of `close(code, reason)`: converted like the native socket converts them, then
// checked against what a client may send (RFC 6455 §7.4).
import { DEV } from './dev';
import { fail } from './errors';
import { byteLength } from './queue';

/** WebIDL `[Clamp] unsigned short`, as the native `close(code)` converts its argument. */
function clampCode(code: number): number {
  const clamped = Math.min(Math.max(Number(code) || 0, 0), 65535); // NaN → 0
  const floor = Math.floor(clamped);
  const diff = clamped - floor;
  // Round half to even, as WebIDL does.
  return diff > 0.5 || (diff === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
}

/**
 * The code and reason `close(code?, reason?)` sends: 1000 by default, `1000.4` → 1000 and a
 * `null` reason → `"null"` as natively, then 1000 or 3000–4999 and at most 123 UTF-8 bytes.
 * @throws LifelineError `ERR_INVALID_CLOSE_CODE`
 */
export function closeArgs(code?: number, reason?: string): [number, string] {
  const c = code === undefined ? 1000 : clampCode(code);
  const r = reason === undefined ? '' : String(reason);
  if (c !== 1000 && !(c >= 3000 && c <= 4999))
    throw fail(
      'ERR_INVALID_CLOSE_CODE',
      DEV ? `Invalid close code ${code}: use 1000 or 3000–4999.` : '',
    );
  if (byteLength(r) > 123)
    throw fail(
      'ERR_INVALID_CLOSE_CODE',
      DEV ? 'Invalid close reason: it must be at most 123 UTF-8 bytes.' : '',
    );
  return [c, r];
}
