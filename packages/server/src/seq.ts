// Stream positions are decimal strings without leading zeros ("0", "1", … "18446744073709551616"):
// they outgrow JS numbers, so they are compared and incremented as text, never parsed.

const SEQ = /^(0|[1-9][0-9]*)$/;

/** True when `value` is a seq: a decimal string without leading zeros. */
export function isSeq(value: unknown): value is string {
  return typeof value === 'string' && SEQ.test(value);
}

/**
 * Orders two seqs: negative when `a` comes first, 0 when equal, positive when `a` comes later.
 * Without leading zeros, the longer string is the larger number; equal lengths compare as text.
 *
 * @example
 * compareSeq('9', '10'); // < 0
 */
export function compareSeq(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The seq after `seq`, by decimal carry on the text.
 *
 * @example
 * nextSeq('199'); // '200'
 */
export function nextSeq(seq: string): string {
  let i = seq.length - 1;
  while (i >= 0 && seq.charCodeAt(i) === 57 /* '9' */) i--;
  if (i < 0) return `1${'0'.repeat(seq.length)}`;
  const bumped = String.fromCharCode(seq.charCodeAt(i) + 1);
  return seq.slice(0, i) + bumped + '0'.repeat(seq.length - 1 - i);
}
