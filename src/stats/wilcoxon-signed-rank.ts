import type { Alternative } from './alternative.js';
import { normalCdf, normalSf } from './normal.js';

export interface WilcoxonOptions {
  alternative?: Alternative;
  /** Use the exact null distribution up to this many non-zero differences when none are tied. */
  exactUpTo?: number;
  /** Move the statistic 0.5 towards its mean in the normal approximation (off by default, as SciPy). */
  continuityCorrection?: boolean;
}

export interface WilcoxonResult {
  /** Two-sided: the smaller of W+ and W−. One-sided: W+ (as SciPy reports). */
  statistic: number;
  wPlus: number;
  wMinus: number;
  /** Non-zero differences ranked. */
  n: number;
  /** Zero differences, discarded (Wilcoxon's own treatment). */
  zeros: number;
  pValue: number;
  alternative: Alternative;
  method: 'exact' | 'normal approximation';
  /** The standardised statistic, for the normal approximation. */
  z?: number;
}

/** Average ranks of |d| (1-based), ties sharing the mean of the ranks they span. */
function averageRanks(abs: readonly number[]): { ranks: number[]; tieGroups: number[] } {
  const order = abs.map((v, i) => i).sort((a, b) => abs[a] - abs[b]);
  const ranks = new Array<number>(abs.length);
  const tieGroups: number[] = [];
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && abs[order[j + 1]] === abs[order[i]]) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]] = rank;
    if (j > i) tieGroups.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, tieGroups };
}

/** Number of subsets of {1..n} with each possible sum: the exact null distribution of W+. */
function signedRankCounts(n: number): Float64Array {
  const max = (n * (n + 1)) / 2;
  const counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (let r = 1; r <= n; r++) for (let s = max; s >= r; s--) counts[s] += counts[s - r];
  return counts;
}

/**
 * Wilcoxon signed-rank test on paired differences (Wilcoxon 1945). Zero differences are dropped;
 * the p-value is exact when no absolute differences tie and few enough remain, otherwise from the
 * normal approximation with the tie correction of the variance. Matches scipy.stats.wilcoxon with
 * its defaults (zero_method='wilcox', correction=False).
 */
export function wilcoxonSignedRank(
  differences: readonly number[],
  options: WilcoxonOptions = {},
): WilcoxonResult {
  const alternative = options.alternative ?? 'two-sided';
  const exactUpTo = options.exactUpTo ?? 50;
  const kept = differences.filter((d) => d !== 0);
  const zeros = differences.length - kept.length;
  const n = kept.length;
  if (n === 0)
    return {
      statistic: 0,
      wPlus: 0,
      wMinus: 0,
      n: 0,
      zeros,
      pValue: 1,
      alternative,
      method: 'exact',
    };
  const { ranks, tieGroups } = averageRanks(kept.map(Math.abs));
  let wPlus = 0;
  let wMinus = 0;
  kept.forEach((d, i) => (d > 0 ? (wPlus += ranks[i]) : (wMinus += ranks[i])));
  const statistic = alternative === 'two-sided' ? Math.min(wPlus, wMinus) : wPlus;
  const base = { statistic, wPlus, wMinus, n, zeros, alternative };

  if (tieGroups.length === 0 && n <= exactUpTo) {
    const counts = signedRankCounts(n);
    const total = 2 ** n;
    const cdf = (w: number) => {
      let s = 0;
      for (let k = 0; k <= Math.min(w, counts.length - 1); k++) s += counts[k];
      return s / total;
    };
    const sf = (w: number) => 1 - cdf(w - 1); // P(W+ >= w)
    let pValue: number;
    if (alternative === 'greater') pValue = sf(wPlus);
    else if (alternative === 'less') pValue = cdf(wPlus);
    else pValue = Math.min(1, 2 * Math.min(cdf(wPlus), sf(wPlus)));
    return { ...base, pValue, method: 'exact' };
  }

  const meanW = (n * (n + 1)) / 4;
  let variance = (n * (n + 1) * (2 * n + 1)) / 24;
  for (const t of tieGroups) variance -= (t * t * t - t) / 48;
  const sd = Math.sqrt(variance);
  let deviation = wPlus - meanW;
  if (options.continuityCorrection) {
    if (alternative === 'greater') deviation -= 0.5;
    else if (alternative === 'less') deviation += 0.5;
    else deviation = Math.sign(deviation) * Math.max(0, Math.abs(deviation) - 0.5);
  }
  const z = sd > 0 ? deviation / sd : 0;
  let pValue: number;
  if (alternative === 'greater') pValue = normalSf(z);
  else if (alternative === 'less') pValue = normalCdf(z);
  else pValue = Math.min(1, 2 * normalSf(Math.abs(z)));
  return { ...base, pValue, method: 'normal approximation', z };
}
