// Summary statistics and number formatting for benchmark reports.

/** The value at fraction `p` (0..1) of the sorted samples, linearly interpolated. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  if (p < 0 || p > 1) throw new Error(`percentile fraction must be in [0, 1], got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const index = (sorted.length - 1) * p;
  const low = Math.floor(index);
  const high = Math.ceil(index);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (index - low);
}

export const median = (samples: readonly number[]): number => percentile(samples, 0.5);

/**
 * Mean cost per operation over the undisturbed chunks of a timed run: those that took at most
 * two clock `step`s longer than the fastest chunk.
 * `durations[i]` is the time of chunk `i`, which performed `sizes[i]` operations; chunks of
 * one run have the same size (a differently sized last chunk is left out).
 *
 * On a busy machine a chunk is either run alone or slowed by a preemption or a GC pause, which
 * only ever adds time. A median flips between the two modes as the share of disturbed chunks
 * passes a half; this keeps the chunks close to the fastest, so it gives the same figure
 * whether a few or most chunks were disturbed. Averaging them, rather than taking the fastest
 * alone, undoes the clock's rounding: a chunk of true length T reads as the step just below or
 * just above T, in proportions that average back to T. The window is two steps wide, one for
 * that rounding and one for the way undisturbed chunks still differ among themselves (caches,
 * branch predictors): narrower, it would cut off the chunks that read a step high, and bias low.
 */
export function undisturbedMean(
  durations: readonly number[],
  sizes: readonly number[],
  step: number,
): number {
  if (durations.length === 0 || durations.length !== sizes.length)
    throw new Error('undisturbedMean needs one size per duration, and at least one of each');
  const size = sizes[0]!;
  const fastest = Math.min(...durations.filter((_, i) => sizes[i] === size));
  // Half a step of slack: readings are multiples of `step` only up to floating-point error.
  const limit = fastest + step * 2.5;
  let time = 0;
  let operations = 0;
  for (let i = 0; i < durations.length; i++) {
    if (sizes[i] !== size || durations[i]! > limit) continue;
    time += durations[i]!;
    operations += size;
  }
  return time / operations;
}

/** `value / base`, or null when the base is missing or zero (no meaningful ratio). */
export function ratio(value: number | null, base: number | null): number | null {
  if (value === null || base === null || base === 0) return null;
  return value / base;
}

/** A number with thousands separators and at most `digits` decimals; "—" for null. */
export function fmt(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

/** A ratio like "1.03×"; "—" for null. */
export const fmtRatio = (value: number | null): string =>
  value === null ? '—' : `${value.toFixed(2)}×`;
