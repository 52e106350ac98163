/**
 * Nearest-rank percentile of ascending samples: the smallest value with at least a share `p` (0–1) of
 * them at or below it. The one definition every report uses, so `demo`, `usage` and `plan` give the
 * same p50 for the same requests.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1];
}
