import { mean, quantileSorted } from './quantile.js';
import { seededRandom } from './seeded-random.js';

/** A point estimate with its two-sided percentile interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
  /** Coverage the interval was built for, e.g. 0.95. */
  confidence: number;
}

export interface BootstrapOptions {
  /** Resamples drawn (default 10,000: the percentile ends then move by well under 0.01 between seeds). */
  resamples?: number;
  confidence?: number;
  seed?: number;
}

export interface BootstrapInterval extends Interval {
  n: number;
  resamples: number;
  seed: number;
  method: 'percentile bootstrap';
}

export const DEFAULT_RESAMPLES = 10_000;
export const DEFAULT_CONFIDENCE = 0.95;
export const DEFAULT_SEED = 1;

interface Resolved {
  resamples: number;
  confidence: number;
  seed: number;
}

function resolve(options: BootstrapOptions): Resolved {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be strictly between 0 and 1, got ${confidence}`);
  return { resamples, confidence, seed };
}

function interval(estimate: number, draws: Float64Array, r: Resolved, n: number): BootstrapInterval {
  draws.sort();
  const tail = (1 - r.confidence) / 2;
  return {
    estimate,
    low: quantileSorted(draws, tail),
    high: quantileSorted(draws, 1 - tail),
    confidence: r.confidence,
    n,
    resamples: r.resamples,
    seed: r.seed,
    method: 'percentile bootstrap',
  };
}

/**
 * Percentile bootstrap interval of the mean (Efron and Tibshirani 1993, ch. 13): resample the
 * values with replacement, take the mean of each resample, and read the interval off the tails of
 * those means. Deterministic for a seed.
 */
export function bootstrapMean(values: readonly number[], options: BootstrapOptions = {}): BootstrapInterval {
  const r = resolve(options);
  const n = values.length;
  if (n === 0) throw new RangeError('bootstrap of an empty sample');
  const random = seededRandom(r.seed);
  const draws = new Float64Array(r.resamples);
  for (let b = 0; b < r.resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[(random() * n) | 0];
    draws[b] = sum / n;
  }
  return interval(mean(values), draws, r, n);
}

export interface PairedDifference {
  n: number;
  baseline: BootstrapInterval;
  candidate: BootstrapInterval;
  /** candidate − baseline, case by case, averaged. */
  difference: BootstrapInterval;
}

/**
 * Means of two paired samples and of their difference (candidate − baseline), each with a
 * percentile bootstrap interval. Pairs are resampled together, so the difference's interval keeps
 * the correlation between the two models' scores on the same case: it is much narrower than two
 * independent intervals would suggest whenever both models find the same cases hard.
 */
export function pairedDifference(
  baseline: readonly number[],
  candidate: readonly number[],
  options: BootstrapOptions = {},
): PairedDifference {
  const n = baseline.length;
  if (candidate.length !== n)
    throw new RangeError(`paired samples differ in length: ${n} baseline, ${candidate.length} candidate`);
  if (n === 0) throw new RangeError('bootstrap of an empty sample');
  const r = resolve(options);
  const random = seededRandom(r.seed);
  const drawsBaseline = new Float64Array(r.resamples);
  const drawsCandidate = new Float64Array(r.resamples);
  const drawsDifference = new Float64Array(r.resamples);
  for (let b = 0; b < r.resamples; b++) {
    let sumBaseline = 0;
    let sumCandidate = 0;
    for (let i = 0; i < n; i++) {
      const k = (random() * n) | 0;
      sumBaseline += baseline[k];
      sumCandidate += candidate[k];
    }
    drawsBaseline[b] = sumBaseline / n;
    drawsCandidate[b] = sumCandidate / n;
    drawsDifference[b] = (sumCandidate - sumBaseline) / n;
  }
  const differences = candidate.map((c, i) => c - baseline[i]);
  return {
    n,
    baseline: interval(mean(baseline), drawsBaseline, r, n),
    candidate: interval(mean(candidate), drawsCandidate, r, n),
    difference: interval(mean(differences), drawsDifference, r, n),
  };
}
