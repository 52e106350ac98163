import { DENSE_FEATURE_SIGNS } from './feature-priors.js';
import { minimizeLbfgs } from './minimize-lbfgs.js';
import {
  DEFAULT_FEATURE_CONFIG,
  DENSE_COUNT,
  DENSE_FEATURE_NAMES,
  extractFeatures,
  FeatureBuffer,
  type FeatureConfig,
} from './request-features.js';
import type { RouterInput } from './router-input.js';
import {
  encodeWeights,
  ROUTER_MODEL_FORMAT,
  ROUTER_MODEL_VERSION,
  routerModelFromJson,
  type RouterModel,
  type RouterTarget,
} from './router-model.js';
import { calibrateLogit, scoreScratch } from './score-request.js';
import { seededRandom } from '../stats/seeded-random.js';

/** One labelled request: the quality of the strong and of the weak model's answer to it. */
export interface LabelledExample {
  input: RouterInput;
  strong: number;
  weak: number;
  /** Relative importance in the loss (default 1), e.g. to balance data sources. */
  weight?: number;
  /**
   * The data set the example comes from. Each source gets its own intercept during training, so
   * the weights learn what makes a request hard within a source instead of telling sources apart
   * (whose average gaps differ for reasons no feature of a new request can reveal).
   */
  source?: string;
  /** The benchmark or traffic slice the example belongs to: evaluation reports each one apart. */
  benchmark?: string;
  /** A finer grouping (subject, category); informational. */
  group?: string;
}

export interface TrainOptions {
  /** Maximum optimiser iterations; each is at least one full pass over the examples. */
  epochs?: number;
  /** L2 penalty on every weight but the bias, against the mean log-loss. */
  l2?: number;
  /** Seeds the small random initial weights. */
  seed?: number;
  /**
   * `binary`: the label is 1 when strong quality > weak quality. `soft`: the label is
   * 0.5 + (strong - weak) / (2 × quality range of the example's source), so the score ranks by
   * expected quality gained whatever scale each source grades on (0/1, win share, 1-10).
   */
  target?: RouterTarget;
  /**
   * Give every source the same total weight, so a large source (14,000 exam questions) does not
   * drown a small one (300 chat prompts). Default true.
   */
  balanceSources?: boolean;
  /**
   * Hold each dense feature to the sign its prior allows (`DENSE_FEATURE_SIGNS`). Default true:
   * without it a feature whose relation to the gap differs between data sets takes whichever sign
   * the training mix favours.
   */
  signPriors?: boolean;
  /**
   * Multiple-choice and open requests share dense weights plus an adjustment of their own each,
   * penalised this many times as much as the shared part: large values tie the two together, small
   * ones let exam questions and open requests read the same cues differently. Default 1.
   */
  kindPenalty?: number;
  /**
   * Where the L2 penalty pulls each shared dense weight: prior × its sign prior (per standard
   * deviation), instead of 0. Default 0. A positive value encodes the belief that the signed cues
   * matter, to be overruled only by evidence.
   */
  prior?: number;
  /**
   * A fixed weight (per standard deviation) on the length of the last user turn (`log_ask_chars`),
   * added to every request's logit before the other weights are fitted: the router starts from the
   * length rule (longer requests to the strong model first) and the fitted weights add to it what
   * the training data supports. Length features may only raise the score, so nothing fitted can
   * cancel the anchor. Default 0.
   */
  lengthAnchor?: number;
  features?: Partial<FeatureConfig>;
  trainingData?: string;
  strongModel?: string;
  weakModel?: string;
  selection?: string;
  /** Calibration points stored for threshold setting (quantiles 0..1 in this many steps). */
  quantileSteps?: number;
  now?: () => Date;
}

/**
 * A kind of request (multiple-choice or open) with fewer training rows than this is ranked by the
 * length rule rather than by weights learned from the other kind, which carried badly: a router
 * trained on exam questions scored 0.42 APGR on open chat where the length rule scored 0.55, and
 * every router trained on Arena-Bench alone lost to the length rule on MMLU. (A chat benchmark
 * holds the odd prompt with lettered options, and an exam the odd one without.)
 */
export const MIN_KIND_ROWS = 50;

/**
 * The length weight (per standard deviation) of such a kind when there is no length anchor: any
 * positive value ranks as the length rule does.
 */
export const LENGTH_RULE_WEIGHT = 0.3;

/** Below this deviation (relative to the mean) a dense feature counts as constant. */
const MIN_STD = 1e-6;

export const DEFAULT_TRAIN_OPTIONS = Object.freeze({
  epochs: 200,
  l2: 0.1,
  seed: 1,
  target: 'soft' as RouterTarget,
});

/** Features of a list of examples, extracted once so many fits (cross-validation) can reuse them. */
export interface FeatureMatrix {
  rows: number;
  config: FeatureConfig;
  dense: Float64Array;
  /** 1 where the request is multiple-choice. */
  choice: Uint8Array;
  rowStart: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export function buildFeatureMatrix(
  examples: readonly LabelledExample[],
  features: Partial<FeatureConfig> = {},
): FeatureMatrix {
  const config: FeatureConfig = { ...DEFAULT_FEATURE_CONFIG, ...features };
  const buf = new FeatureBuffer(config);
  const dense = new Float64Array(examples.length * DENSE_COUNT);
  const choice = new Uint8Array(examples.length);
  const rowStart = new Int32Array(examples.length + 1);
  let indices = new Int32Array(examples.length * 64);
  let values = new Float32Array(examples.length * 64);
  let nnz = 0;
  examples.forEach((ex, r) => {
    extractFeatures(ex.input, config, buf);
    dense.set(buf.dense, r * DENSE_COUNT);
    choice[r] = buf.multipleChoice ? 1 : 0;
    if (nnz + buf.count > indices.length) {
      const size = Math.max(indices.length * 2, nnz + buf.count);
      const i2 = new Int32Array(size);
      i2.set(indices);
      indices = i2;
      const v2 = new Float32Array(size);
      v2.set(values);
      values = v2;
    }
    indices.set(buf.indices.subarray(0, buf.count), nnz);
    values.set(buf.values.subarray(0, buf.count), nnz);
    nnz += buf.count;
    rowStart[r + 1] = nnz;
  });
  return { rows: examples.length, config, dense, choice, rowStart, indices, values };
}

/** The key that groups examples for intercepts, label scales and balancing. */
function sourceKey(ex: LabelledExample): string {
  return ex.source ?? '';
}

function targetsOf(examples: readonly LabelledExample[], target: RouterTarget): Float64Array {
  const ranges = new Map<string, { lo: number; hi: number }>();
  for (const ex of examples) {
    const key = sourceKey(ex);
    const r = ranges.get(key) ?? { lo: Infinity, hi: -Infinity };
    r.lo = Math.min(r.lo, ex.strong, ex.weak);
    r.hi = Math.max(r.hi, ex.strong, ex.weak);
    ranges.set(key, r);
  }
  return Float64Array.from(examples, (ex) => {
    if (target === 'binary') return ex.strong - ex.weak > 0 ? 1 : 0;
    const r = ranges.get(sourceKey(ex))!;
    const range = r.hi > r.lo ? r.hi - r.lo : 1;
    return 0.5 + (ex.strong - ex.weak) / (2 * range);
  });
}

/** Example weights: each example's own weight, scaled so every source sums to the same total. */
export function exampleWeights(examples: readonly LabelledExample[], balanceSources = true): Float64Array {
  const w = Float64Array.from(examples, (ex) => ex.weight ?? 1);
  if (!balanceSources) return w;
  const totals = new Map<string, number>();
  examples.forEach((ex, i) => totals.set(sourceKey(ex), (totals.get(sourceKey(ex)) ?? 0) + w[i]));
  const mean = examples.length / totals.size;
  examples.forEach((ex, i) => (w[i] *= mean / totals.get(sourceKey(ex))!));
  return w;
}

function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** numpy-style linear-interpolated quantiles of an ascending array. */
export function quantilesOf(sorted: ArrayLike<number>, steps: number): number[] {
  const out: number[] = [];
  const n = sorted.length;
  for (let k = 0; k <= steps; k++) {
    const pos = (k / steps) * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    out.push(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo));
  }
  return out;
}

/** Quantiles 0, 1/steps, ..., 1 of weighted values: each value counts for its weight. */
export function weightedQuantilesOf(
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
  steps: number,
): number[] {
  const order = Int32Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  const out: number[] = [];
  let k = 0;
  let cum = 0;
  // Each value sits at the middle of its weight's span of the cumulative distribution.
  const mids = new Float64Array(order.length);
  for (let j = 0; j < order.length; j++) {
    const wj = weights[order[j]];
    mids[j] = (cum + wj / 2) / total;
    cum += wj;
  }
  for (let s = 0; s <= steps; s++) {
    const q = s / steps;
    while (k < order.length - 1 && mids[k + 1] <= q) k++;
    if (q <= mids[0]) out.push(values[order[0]]);
    else if (k >= order.length - 1) out.push(values[order[order.length - 1]]);
    else {
      const a = values[order[k]];
      const b = values[order[k + 1]];
      const t = (q - mids[k]) / (mids[k + 1] - mids[k] || 1);
      out.push(a + (b - a) * t);
    }
  }
  return out;
}

/**
 * Fits an L2-regularised logistic regression over standardised dense features and hashed lexical
 * features, minimising the weighted mean log-loss with L-BFGS. Deterministic for a given seed.
 */
export function trainRouter(examples: readonly LabelledExample[], options: TrainOptions = {}): RouterModel {
  if (examples.length < 2) throw new RangeError('training needs at least two labelled examples');
  return trainRouterOnMatrix(buildFeatureMatrix(examples, options.features), examples, options);
}

/**
 * `trainRouter` on features already extracted by `buildFeatureMatrix`, optionally on a subset of
 * its rows. A different `features.lexicalScale` than the matrix's rescales its hashed features.
 */
export function trainRouterOnMatrix(
  matrix: FeatureMatrix,
  allExamples: readonly LabelledExample[],
  options: TrainOptions = {},
  subset?: ArrayLike<number>,
): RouterModel {
  const rowsOf = subset ? Int32Array.from(subset) : Int32Array.from({ length: matrix.rows }, (_, i) => i);
  const examples = Array.from(rowsOf, (r) => allExamples[r]);
  if (examples.length < 2) throw new RangeError('training needs at least two labelled examples');
  const epochs = options.epochs ?? DEFAULT_TRAIN_OPTIONS.epochs;
  const l2 = options.l2 ?? DEFAULT_TRAIN_OPTIONS.l2;
  const seed = options.seed ?? DEFAULT_TRAIN_OPTIONS.seed;
  const target = options.target ?? DEFAULT_TRAIN_OPTIONS.target;
  const config: FeatureConfig = { ...matrix.config, ...options.features };
  const lexicalFactor = matrix.config.lexicalScale > 0 ? config.lexicalScale / matrix.config.lexicalScale : 0;
  if (config.lexicalScale > 0 && matrix.config.lexicalScale === 0)
    throw new RangeError('the feature matrix has no hashed features to scale');
  const y = targetsOf(examples, target);
  const c = exampleWeights(examples, options.balanceSources ?? true);
  const cSum = c.reduce((a, b) => a + b, 0);
  const n = examples.length;

  const D = DENSE_COUNT;
  const mean = new Float64Array(D);
  const std = new Float64Array(D);
  for (let r = 0; r < n; r++) {
    const off = rowsOf[r] * D;
    for (let j = 0; j < D; j++) mean[j] += (c[r] * matrix.dense[off + j]) / cSum;
  }
  for (let r = 0; r < n; r++) {
    const off = rowsOf[r] * D;
    for (let j = 0; j < D; j++) std[j] += (c[r] * (matrix.dense[off + j] - mean[j]) ** 2) / cSum;
  }
  // A feature that never varies in training carries no evidence: it is left out (std 1, weight 0)
  // rather than divided by a rounding-error deviation that would blow up on the first request
  // where it does vary (a conversation after training on single prompts).
  const constant = new Uint8Array(D);
  for (let j = 0; j < D; j++) {
    std[j] = Math.sqrt(std[j]);
    if (!(std[j] > MIN_STD * Math.max(1, Math.abs(mean[j])))) {
      std[j] = 1;
      constant[j] = 1;
    }
  }
  const z01 = new Float64Array(n * D);
  for (let r = 0; r < n; r++) {
    const off = rowsOf[r] * D;
    for (let j = 0; j < D; j++) z01[r * D + j] = constant[j] ? 0 : (matrix.dense[off + j] - mean[j]) / std[j];
  }

  const H = lexicalFactor > 0 ? 1 << config.hashBits : 0;
  const sourceIds = new Map<string, number>();
  const sourceOf = Int32Array.from(examples, (ex) => {
    if (ex.source === undefined) return -1;
    if (!sourceIds.has(ex.source)) sourceIds.set(ex.source, sourceIds.size);
    return sourceIds.get(ex.source) ?? -1;
  });
  const kindPenalty = options.kindPenalty ?? 1;
  const mc = Uint8Array.from(rowsOf, (row) => (matrix.choice[row] ? 1 : 0));
  const choiceRows = mc.reduce((a, b) => a + b, 0);
  // Dense blocks: shared, multiple-choice adjustment, open adjustment.
  const DB = 3 * D;
  const S0 = 1 + DB + H;
  // Parameters: [bias, dense weights (3 blocks)..., hashed weights..., source intercepts...]. A
  // dense weight held to a sign is sign × softplus(v) of its free parameter v; each block keeps the
  // sign, so their sums do too.
  const signs = options.signPriors === false ? new Int8Array(D) : DENSE_FEATURE_SIGNS;
  const x = new Float64Array(S0 + sourceIds.size);
  const rand = seededRandom(seed);
  for (let i = 1; i < x.length; i++) x[i] = (rand() - 0.5) * 1e-3;
  for (let j = 0; j < DB; j++) {
    if (constant[j % D]) x[1 + j] = 0;
    else if (signs[j % D] !== 0) x[1 + j] = -4;
  }
  const priorMean = Float64Array.from(signs, (sign, j) => (constant[j] ? 0 : sign * (options.prior ?? 0)));
  const lengthFeature = DENSE_FEATURE_NAMES.indexOf('log_ask_chars');
  const anchor = constant[lengthFeature] ? 0 : (options.lengthAnchor ?? 0);
  const wd = new Float64Array(DB);
  const dwd = new Float64Array(DB);
  const gd = new Float64Array(DB);
  const denseWeightsOf = (w: Float64Array): void => {
    for (let j = 0; j < DB; j++) {
      const v = w[1 + j];
      const f = j % D;
      if (constant[f]) {
        wd[j] = 0;
        dwd[j] = 0;
      } else if (signs[f] === 0) {
        wd[j] = v;
        dwd[j] = 1;
      } else {
        wd[j] = signs[f] * softplus(v);
        dwd[j] = signs[f] * (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
      }
    }
  };

  const { rowStart, indices, values } = matrix;
  const objective = (w: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    gd.fill(0);
    denseWeightsOf(w);
    let loss = 0;
    for (let r = 0; r < n; r++) {
      let z = w[0];
      const src = sourceOf[r];
      if (src >= 0) z += w[S0 + src];
      const dOff = r * D;
      const kOff = mc[r] ? D : 2 * D;
      z += anchor * z01[dOff + lengthFeature];
      for (let j = 0; j < D; j++) z += z01[dOff + j] * (wd[j] + wd[kOff + j]);
      const row = rowsOf[r];
      if (H > 0)
        for (let k = rowStart[row]; k < rowStart[row + 1]; k++)
          z += w[1 + DB + indices[k]] * values[k] * lexicalFactor;
      loss += c[r] * (softplus(z) - y[r] * z);
      const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      const e = (c[r] * (p - y[r])) / cSum;
      grad[0] += e;
      if (src >= 0) grad[S0 + src] += e;
      for (let j = 0; j < D; j++) {
        const g = e * z01[dOff + j];
        gd[j] += g;
        gd[kOff + j] += g;
      }
      if (H > 0)
        for (let k = rowStart[row]; k < rowStart[row + 1]; k++)
          grad[1 + DB + indices[k]] += e * values[k] * lexicalFactor;
    }
    let penalty = 0;
    for (let j = 0; j < DB; j++) {
      const lambda = j < D ? l2 : l2 * kindPenalty;
      const off = wd[j] - (j < D ? priorMean[j] : 0);
      penalty += 0.5 * lambda * off * off;
      grad[1 + j] = (gd[j] + lambda * off) * dwd[j];
    }
    for (let i = 1 + DB; i < S0; i++) {
      penalty += 0.5 * l2 * w[i] * w[i];
      grad[i] += l2 * w[i];
    }
    return loss / cSum + penalty;
  };
  minimizeLbfgs(objective, x, { maxIterations: epochs });
  denseWeightsOf(x);

  const lengthRule = Array.from({ length: D }, (_, j) =>
    j === lengthFeature && !constant[j] ? anchor || LENGTH_RULE_WEIGHT : 0,
  );
  // A request from an unknown source gets the example-weighted mean of the source intercepts.
  let bias = x[0];
  for (let r = 0; r < n; r++) if (sourceOf[r] >= 0) bias += (c[r] * x[S0 + sourceOf[r]]) / cSum;
  // Without hashed features the model keeps a minimal table, which scoring never reads.
  const hashBits = H > 0 ? config.hashBits : 4;
  const hashed = new Float32Array(1 << hashBits);
  for (let i = 0; i < H; i++) hashed[i] = x[1 + DB + i];
  const model = routerModelFromJson({
    format: ROUTER_MODEL_FORMAT,
    version: ROUTER_MODEL_VERSION,
    features: {
      ...config,
      hashBits,
      lexicalScale: H > 0 ? config.lexicalScale : 0,
      dense: [...DENSE_FEATURE_NAMES],
    },
    bias,
    dense: {
      mean: Array.from(mean),
      std: Array.from(std),
      weights:
        n - choiceRows < MIN_KIND_ROWS
          ? lengthRule
          : Array.from({ length: D }, (_, j) => wd[j] + wd[2 * D + j] + (j === lengthFeature ? anchor : 0)),
      choiceWeights:
        choiceRows < MIN_KIND_ROWS
          ? lengthRule
          : Array.from({ length: D }, (_, j) => wd[j] + wd[D + j] + (j === lengthFeature ? anchor : 0)),
    },
    hashed: { encoding: 'f32le-base64', weights: encodeWeights(hashed) },
    calibration: { logitKnots: [0, 1], scoreQuantiles: [0, 1] },
    metadata: {
      trainingData: options.trainingData ?? `${examples.length} labelled examples`,
      trainedAt: (options.now?.() ?? new Date()).toISOString(),
      examples: examples.length,
      target,
      epochs,
      l2,
      seed,
      ...(options.strongModel ? { strongModel: options.strongModel } : {}),
      ...(options.weakModel ? { weakModel: options.weakModel } : {}),
      ...(options.selection ? { selection: options.selection } : {}),
    },
  });
  return withCalibration(model, examples, options.quantileSteps ?? 100, c);
}

/**
 * Calibrates a model on reference examples: stores the quantiles of their raw logits (so scores
 * spread evenly over [0, 1] on them) and the quantiles of the resulting scores (so thresholds can
 * be set from a strong-call share). `weights` default to balanced sources.
 */
export function withCalibration(
  model: RouterModel,
  examples: readonly LabelledExample[],
  steps = 100,
  weights: ArrayLike<number> = exampleWeights(examples),
): RouterModel {
  const logits = Float64Array.from(examples, (ex) => {
    extractFeatures(ex.input, model.features, model.scratch);
    return scoreScratch(model);
  });
  const logitKnots = Float64Array.from(weightedQuantilesOf(logits, weights, steps));
  const scores = Float64Array.from(logits, (z) => calibrateLogit(logitKnots, z));
  return Object.freeze({
    ...model,
    logitKnots,
    scoreQuantiles: Object.freeze(weightedQuantilesOf(scores, weights, steps)),
  });
}
