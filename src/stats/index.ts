/**
 * Statistics for comparing two models on the same cases: percentile bootstrap intervals, the paired
 * difference, paired tests (permutation, Wilcoxon signed-rank, sign test) and win/tie/loss. Pure
 * functions over arrays, deterministic for a seed; eval reports, shadow reports and rollout gates
 * all call these.
 */
export type { Alternative } from './alternative.js';
export {
  bootstrapMean,
  pairedDifference,
  DEFAULT_CONFIDENCE,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  type BootstrapInterval,
  type BootstrapOptions,
  type Interval,
  type PairedDifference,
} from './bootstrap.js';
export { normalCdf, normalSf } from './normal.js';
export {
  pairedPermutationTest,
  type PermutationTestOptions,
  type PermutationTestResult,
} from './paired-permutation-test.js';
export { mean, quantileSorted } from './quantile.js';
export { seededRandom } from './seeded-random.js';
export { binomialHalfCdf, signTest, type SignTestResult } from './sign-test.js';
export { wilcoxonSignedRank, type WilcoxonOptions, type WilcoxonResult } from './wilcoxon-signed-rank.js';
export { winTieLoss, type WinTieLoss } from './win-tie-loss.js';
export { comparePaired, type PairedComparison } from './compare-paired.js';
