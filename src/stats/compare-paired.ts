import { pairedDifference, type BootstrapOptions, type PairedDifference } from './bootstrap.js';
import { pairedPermutationTest, type PermutationTestResult } from './paired-permutation-test.js';
import { signTest, type SignTestResult } from './sign-test.js';
import { wilcoxonSignedRank, type WilcoxonResult } from './wilcoxon-signed-rank.js';
import { winTieLoss, type WinTieLoss } from './win-tie-loss.js';

export interface PairedComparison extends PairedDifference {
  /** Is the mean difference distinguishable from zero? The test the report leads with. */
  permutation: PermutationTestResult;
  /** The same question asked of the ranks, less swayed by a few large differences. */
  wilcoxon: WilcoxonResult;
  winTieLoss: WinTieLoss;
  /** Do wins outnumber losses more than a fair coin would? */
  signTest: SignTestResult;
}

/**
 * Everything a report says about two models scored on the same cases: both means, the paired
 * difference (candidate − baseline) with its interval, the paired tests, and win/tie/loss.
 */
export function comparePaired(
  baseline: readonly number[],
  candidate: readonly number[],
  options: BootstrapOptions & { tieTolerance?: number } = {},
): PairedComparison {
  const paired = pairedDifference(baseline, candidate, options);
  // Rounded so that 0.3 − 0.1 and 0.2 − 0 rank as the tie they are (see SciPy's warning on
  // passing x and y separately to wilcoxon).
  const differences = candidate.map((c, i) => Math.round((c - baseline[i]) * 1e12) / 1e12);
  const wtl = winTieLoss(baseline, candidate, options.tieTolerance);
  return {
    ...paired,
    permutation: pairedPermutationTest(differences, { seed: options.seed }),
    wilcoxon: wilcoxonSignedRank(differences),
    winTieLoss: wtl,
    signTest: signTest(wtl),
  };
}
