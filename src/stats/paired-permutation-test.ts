import type { Alternative } from './alternative.js';
import { seededRandom } from './seeded-random.js';

export interface PermutationTestOptions {
  alternative?: Alternative;
  /** Monte Carlo sign patterns when the exact enumeration is too large (default 10,000). */
  resamples?: number;
  seed?: number;
  /** Enumerate every sign pattern up to this many non-zero differences (default 20: 2^20 sums). */
  exactUpTo?: number;
}

export interface PermutationTestResult {
  n: number;
  meanDifference: number;
  pValue: number;
  alternative: Alternative;
  method: 'exact paired permutation' | 'Monte Carlo paired permutation';
  /** Sign patterns drawn, for the Monte Carlo method. */
  resamples?: number;
  seed?: number;
}

/**
 * Paired permutation (sign-flip) test of the mean difference (Fisher 1935, The Design of
 * Experiments, §21). Under the null that the two models are exchangeable on every case, each
 * difference is as likely to have had the opposite sign, so the observed sum is compared with the
 * sums under all 2^n sign patterns: exactly when n is small, from seeded random patterns
 * otherwise, with the (b + 1) / (R + 1) estimate that never reports p = 0 (Phipson and Smyth 2010,
 * https://doi.org/10.2202/1544-6115.1585). It tests the same quantity the report prints, the mean
 * difference, and never treats paired scores as two independent samples.
 */
export function pairedPermutationTest(
  differences: readonly number[],
  options: PermutationTestOptions = {},
): PermutationTestResult {
  const alternative = options.alternative ?? 'two-sided';
  const n = differences.length;
  if (n === 0) throw new RangeError('permutation test of an empty sample');
  let observed = 0;
  let scale = 0;
  const nonzero: number[] = [];
  for (const d of differences) {
    if (!Number.isFinite(d)) throw new RangeError(`differences must be finite numbers, got ${d}`);
    observed += d;
    scale += Math.abs(d);
    if (d !== 0) nonzero.push(Math.abs(d));
  }
  const meanDifference = observed / n;
  if (nonzero.length === 0)
    return { n, meanDifference, pValue: 1, alternative, method: 'exact paired permutation' };
  // Sums equal to the observed one up to rounding must count as "at least as extreme".
  const eps = 1e-9 * scale;
  const extreme = (s: number) =>
    alternative === 'greater'
      ? s >= observed - eps
      : alternative === 'less'
        ? s <= observed + eps
        : Math.abs(s) >= Math.abs(observed) - eps;

  const exactUpTo = options.exactUpTo ?? 20;
  if (nonzero.length <= exactUpTo) {
    // Gray-code walk: each step flips one sign, so each pattern's sum costs O(1).
    const k = nonzero.length;
    let sum = nonzero.reduce((a, b) => a + b, 0);
    const positive = new Uint8Array(k).fill(1);
    let count = extreme(sum) ? 1 : 0;
    const total = 2 ** k;
    for (let i = 1; i < total; i++) {
      const j = 31 - Math.clz32(i & -i);
      sum += positive[j] ? -2 * nonzero[j] : 2 * nonzero[j];
      positive[j] ^= 1;
      if (extreme(sum)) count++;
    }
    return { n, meanDifference, pValue: count / total, alternative, method: 'exact paired permutation' };
  }

  const resamples = options.resamples ?? 10_000;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  const random = seededRandom(seed);
  let count = 0;
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (const d of nonzero) s += random() < 0.5 ? d : -d;
    if (extreme(s)) count++;
  }
  return {
    n,
    meanDifference,
    pValue: (count + 1) / (resamples + 1),
    alternative,
    method: 'Monte Carlo paired permutation',
    resamples,
    seed,
  };
}
