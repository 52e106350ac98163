import { seededRandom } from '../stats/seeded-random.js';

/**
 * Router quality as defined by RouteLLM (Ong et al., arXiv 2406.18665, section 3.2), computed the
 * way its evaluation code does (lm-sys/RouteLLM routellm/evals/benchmarks.py and evaluate.py):
 * thresholds at the score quantiles; for each, requests scoring >= threshold go to the strong model;
 * PGR = (r − r_weak) / (r_strong − r_weak) where r is the mean quality of the routed answers;
 * APGR = trapezoidal area under PGR against the share of strong calls; CPT(x) = the smallest share
 * of strong calls at which the (linearly interpolated) PGR curve reaches x.
 */
export interface CurvePoint {
  threshold: number;
  /** Share of requests sent to the strong model, 0..1. */
  strongShare: number;
  /** Mean quality of the routed answers. */
  quality: number;
  pgr: number;
}

export interface RoutingFigures {
  apgr: number;
  /** Share of strong calls (0..1) needed for PGR 50% and 80%. */
  cpt50: number;
  cpt80: number;
  strongQuality: number;
  weakQuality: number;
}

export interface RoutingTable {
  scores: ArrayLike<number>;
  strong: ArrayLike<number>;
  weak: ArrayLike<number>;
}

/** Thresholds at the quantiles 0, 1/points, ..., 1 of the scores (RouteLLM uses 10 bins). */
export const DEFAULT_CURVE_POINTS = 10;

interface Prepared {
  /** Scores in descending order, with the matching qualities and running sums. */
  sorted: Float64Array;
  strongPrefix: Float64Array;
  weakPrefix: Float64Array;
}

function prepare(table: RoutingTable, order: Int32Array): Prepared {
  const n = order.length;
  const sorted = new Float64Array(n);
  const strongPrefix = new Float64Array(n + 1);
  const weakPrefix = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    sorted[k] = table.scores[i];
    strongPrefix[k + 1] = strongPrefix[k] + table.strong[i];
    weakPrefix[k + 1] = weakPrefix[k] + table.weak[i];
  }
  return { sorted, strongPrefix, weakPrefix };
}

/** Number of leading (descending) scores >= t, or > t when `strict`. */
function countAtLeast(sorted: Float64Array, t: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? sorted[mid] > t : sorted[mid] >= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function curveOf(p: Prepared, points: number): CurvePoint[] {
  const n = p.sorted.length;
  const rStrong = p.strongPrefix[n] / n;
  const rWeak = p.weakPrefix[n] / n;
  const gap = rStrong - rWeak;
  const curve: CurvePoint[] = [];
  for (let k = 0; k <= points; k++) {
    // Quantile k/points of the ascending scores, read from the descending array.
    const pos = (k / points) * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    const a = p.sorted[n - 1 - lo];
    const threshold = a + (p.sorted[n - 1 - hi] - a) * (pos - lo);
    const toStrong = countAtLeast(p.sorted, threshold, k === points);
    const quality = (p.strongPrefix[toStrong] + p.weakPrefix[n] - p.weakPrefix[toStrong]) / n;
    curve.push({
      threshold,
      strongShare: toStrong / n,
      quality,
      pgr: gap === 0 ? 0 : (quality - rWeak) / gap,
    });
  }
  return curve.sort((x, y) => x.strongShare - y.strongShare || x.quality - y.quality);
}

/** Area under PGR against the share of strong calls (trapezoidal rule). */
export function apgrOf(curve: readonly CurvePoint[]): number {
  let area = 0;
  for (let i = 1; i < curve.length; i++)
    area += ((curve[i].pgr + curve[i - 1].pgr) / 2) * (curve[i].strongShare - curve[i - 1].strongShare);
  return area;
}

/** Smallest share of strong calls at which the PGR curve reaches `target` (e.g. 0.5); 1 if never. */
export function cptOf(curve: readonly CurvePoint[], target: number): number {
  if (curve.length === 0) return 1;
  if (curve[0].pgr >= target) return curve[0].strongShare;
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1];
    const b = curve[i];
    if (b.pgr >= target) {
      if (b.pgr === a.pgr) return b.strongShare;
      return a.strongShare + ((target - a.pgr) / (b.pgr - a.pgr)) * (b.strongShare - a.strongShare);
    }
  }
  return 1;
}

function sortedOrder(scores: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i);
  // Descending by score; ties keep input order so results are deterministic.
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}

function figuresOf(curve: CurvePoint[], p: Prepared): RoutingFigures {
  const n = p.sorted.length;
  return {
    apgr: apgrOf(curve),
    cpt50: cptOf(curve, 0.5),
    cpt80: cptOf(curve, 0.8),
    strongQuality: p.strongPrefix[n] / n,
    weakQuality: p.weakPrefix[n] / n,
  };
}

export function routingCurve(table: RoutingTable, points = DEFAULT_CURVE_POINTS): CurvePoint[] {
  return curveOf(prepare(table, sortedOrder(table.scores)), points);
}

export function routingFigures(table: RoutingTable, points = DEFAULT_CURVE_POINTS): RoutingFigures {
  const p = prepare(table, sortedOrder(table.scores));
  return figuresOf(curveOf(p, points), p);
}

export interface Interval {
  value: number;
  median: number;
  low: number;
  high: number;
}

export interface RoutingEvaluation {
  apgr: Interval;
  cpt50: Interval;
  cpt80: Interval;
  strongQuality: number;
  weakQuality: number;
  rows: number;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Figures on the whole table plus bootstrap medians and 95% percentile intervals: rows are drawn
 * with replacement `resamples` times and every figure is recomputed on each draw.
 */
export function evaluateRouting(
  table: RoutingTable,
  options: { resamples?: number; seed?: number; points?: number } = {},
): RoutingEvaluation {
  const resamples = options.resamples ?? 1000;
  const points = options.points ?? DEFAULT_CURVE_POINTS;
  const n = table.scores.length;
  if (n === 0) throw new RangeError('cannot evaluate a router on an empty table');
  const order = sortedOrder(table.scores);
  const whole = prepare(table, order);
  const base = figuresOf(curveOf(whole, points), whole);
  const rand = seededRandom(options.seed ?? 1);
  const draws = {
    apgr: new Float64Array(resamples),
    cpt50: new Float64Array(resamples),
    cpt80: new Float64Array(resamples),
  };
  // Drawing ranks in the sorted order and sorting them keeps each resample sorted by score.
  const ranks = new Int32Array(n);
  const resampled = new Int32Array(n);
  let kept = 0;
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) ranks[i] = Math.floor(rand() * n);
    ranks.sort();
    for (let i = 0; i < n; i++) resampled[i] = order[ranks[i]];
    const p = prepare(table, resampled);
    const f = figuresOf(curveOf(p, points), p);
    // A resample where both models score the same has no gap to recover.
    if (f.strongQuality === f.weakQuality) continue;
    draws.apgr[kept] = f.apgr;
    draws.cpt50[kept] = f.cpt50;
    draws.cpt80[kept] = f.cpt80;
    kept++;
  }
  const interval = (value: number, all: Float64Array): Interval => {
    const s = all.slice(0, kept).sort();
    return { value, median: percentile(s, 0.5), low: percentile(s, 0.025), high: percentile(s, 0.975) };
  };
  return {
    apgr: interval(base.apgr, draws.apgr),
    cpt50: interval(base.cpt50, draws.cpt50),
    cpt80: interval(base.cpt80, draws.cpt80),
    strongQuality: base.strongQuality,
    weakQuality: base.weakQuality,
    rows: n,
  };
}

/**
 * Paired bootstrap of APGR(a) − APGR(b): both routers are scored on the same resampled rows, so
 * the interval reflects the difference between them rather than the noise each shares.
 */
export function bootstrapApgrDifference(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  strong: ArrayLike<number>,
  weak: ArrayLike<number>,
  options: { resamples?: number; seed?: number; points?: number } = {},
): Interval {
  const resamples = options.resamples ?? 1000;
  const points = options.points ?? DEFAULT_CURVE_POINTS;
  const n = a.length;
  const rand = seededRandom(options.seed ?? 1);
  const apgrOn = (scores: ArrayLike<number>, rows: Int32Array): number => {
    const order = Int32Array.from(rows).sort((x, y) => scores[y] - scores[x] || x - y);
    return apgrOf(curveOf(prepare({ scores, strong, weak }, order), points));
  };
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const value = apgrOn(a, all) - apgrOn(b, all);
  const diffs = new Float64Array(resamples);
  const rows = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) rows[i] = Math.floor(rand() * n);
    diffs[r] = apgrOn(a, rows) - apgrOn(b, rows);
  }
  diffs.sort();
  return {
    value,
    median: percentile(diffs, 0.5),
    low: percentile(diffs, 0.025),
    high: percentile(diffs, 0.975),
  };
}
