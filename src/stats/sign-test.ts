import type { Alternative } from './alternative.js';

export interface SignTestResult {
  wins: number;
  losses: number;
  /** Ties carry no information about direction and are left out, as the sign test prescribes. */
  ties: number;
  pValue: number;
  alternative: Alternative;
  method: 'exact binomial sign test';
}

/** log(n choose k), summed directly: exact enough for the few thousand cases an eval holds. */
function logChoose(n: number, k: number): number {
  let s = 0;
  const m = Math.min(k, n - k);
  for (let i = 1; i <= m; i++) s += Math.log(n - m + i) - Math.log(i);
  return s;
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2). */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const logHalfN = -n * Math.LN2;
  let sum = 0;
  for (let i = 0; i <= k; i++) sum += Math.exp(logChoose(n, i) + logHalfN);
  return Math.min(1, sum);
}

/**
 * Exact sign test on win/tie/loss counts: under the null each non-tied case is a fair coin. The
 * two-sided p-value doubles the smaller tail (the binomial with p = 1/2 is symmetric).
 */
export function signTest(
  counts: { wins: number; losses: number; ties?: number },
  alternative: Alternative = 'two-sided',
): SignTestResult {
  const { wins, losses } = counts;
  const ties = counts.ties ?? 0;
  for (const [name, v] of [
    ['wins', wins],
    ['losses', losses],
    ['ties', ties],
  ] as const)
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer`);
  const n = wins + losses;
  let pValue: number;
  if (n === 0) pValue = 1;
  else if (alternative === 'greater') pValue = 1 - binomialHalfCdf(wins - 1, n);
  else if (alternative === 'less') pValue = binomialHalfCdf(wins, n);
  else pValue = Math.min(1, 2 * binomialHalfCdf(Math.min(wins, losses), n));
  return { wins, losses, ties, pValue: clamp01(pValue), alternative, method: 'exact binomial sign test' };
}

const clamp01 = (p: number) => Math.min(1, Math.max(0, p));
