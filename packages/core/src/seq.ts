// Stream positions are decimal strings without leading zeros (DESIGN §8): a server may count
// past 2^53, so they are never parsed to a JS number. Compared by length, then by text.

const SEQ = /^(?:0|[1-9]\d*)$/;

/**
 * Whether `value` is a well-formed `seq`: a decimal string without leading zeros.
 * @example
 * ```ts
 * isSeq('17'); // true
 * isSeq('017'); // false
 * ```
 */
export const isSeq = (value: unknown): value is string =>
  typeof value === 'string' && SEQ.test(value);

/**
 * Orders two well-formed `seq` strings: negative, zero or positive like a sort comparator.
 * @example
 * ```ts
 * compareSeq('9', '10'); // < 0
 * ```
 */
export const compareSeq = (a: string, b: string): number =>
  a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/**
 * `seq + 1`.
 * @example
 * ```ts
 * nextSeq('199'); // '200'
 * ```
 */
export function nextSeq(seq: string): string {
  let i = seq.length - 1;
  while (i >= 0 && seq.charCodeAt(i) === 57 /* 9 */) i--;
  const zeros = '0'.repeat(seq.length - 1 - i);
  return i < 0 ? `1${zeros}` : seq.slice(0, i) + String.fromCharCode(seq.charCodeAt(i) + 1) + zeros;
}

/**
 * `seq - 1`, for `seq` ≥ 1.
 * @example
 * ```ts
 * previousSeq('100'); // '99'
 * ```
 */
export function previousSeq(seq: string): string {
  let i = seq.length - 1;
  while (i > 0 && seq.charCodeAt(i) === 48 /* 0 */) i--;
  const digit = String.fromCharCode(seq.charCodeAt(i) - 1);
  // '10' → '09' → '9': only a leading 1 can turn into a leading zero.
  const head = i === 0 && digit === '0' && seq.length > 1 ? '' : seq.slice(0, i) + digit;
  return head + '9'.repeat(seq.length - 1 - i);
}

/**
 * Whether `b` is `a + 1`. Runs for every stream message, so it does not build `a + 1` unless
 * the last digit carries (one message in ten).
 * @example
 * ```ts
 * follows('17', '18'); // true
 * follows('19', '20'); // true
 * ```
 */
export function follows(a: string, b: string): boolean {
  const last = a.length - 1;
  const digit = a.charCodeAt(last);
  if (digit === 57) return nextSeq(a) === b;
  if (b.length !== a.length || b.charCodeAt(last) !== digit + 1) return false;
  for (let i = 0; i < last; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}
