// The few statistics the benchmarks report: medians of runs, and ratios of paired runs.

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median of per-run ratios: each pair ran back to back, so drift hits both sides alike. */
export function pairedRatio(numerators: readonly number[], denominators: readonly number[]): number {
  return median(numerators.map((value, run) => value / denominators[run]!));
}
