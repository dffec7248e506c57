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
