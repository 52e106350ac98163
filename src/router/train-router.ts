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
import { scoreRequest } from './score-request.js';
import { seededRandom } from './seeded-random.js';

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
   * 0.5 + (strong - weak) / (2 × quality range), so the score ranks by expected quality gained.
   */
  target?: RouterTarget;
  features?: Partial<FeatureConfig>;
  trainingData?: string;
  strongModel?: string;
  weakModel?: string;
  /** Calibration points stored for threshold setting (quantiles 0..1 in this many steps). */
  quantileSteps?: number;
  now?: () => Date;
}

/** Below this deviation (relative to the mean) a dense feature counts as constant. */
const MIN_STD = 1e-6;

export const DEFAULT_TRAIN_OPTIONS = Object.freeze({
  epochs: 200,
  l2: 0.1,
  seed: 1,
  target: 'soft' as RouterTarget,
});

interface FeatureMatrix {
  rows: number;
  dense: Float64Array;
  rowStart: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

function buildMatrix(examples: readonly LabelledExample[], config: FeatureConfig): FeatureMatrix {
  const buf = new FeatureBuffer(config);
  const dense = new Float64Array(examples.length * DENSE_COUNT);
  const rowStart = new Int32Array(examples.length + 1);
  let indices = new Int32Array(examples.length * 64);
  let values = new Float32Array(examples.length * 64);
  let nnz = 0;
  examples.forEach((ex, r) => {
    extractFeatures(ex.input, config, buf);
    dense.set(buf.dense, r * DENSE_COUNT);
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
  return { rows: examples.length, dense, rowStart, indices, values };
}

function targetsOf(examples: readonly LabelledExample[], target: RouterTarget): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const ex of examples) {
    lo = Math.min(lo, ex.strong, ex.weak);
    hi = Math.max(hi, ex.strong, ex.weak);
  }
  const range = hi > lo ? hi - lo : 1;
  return Float64Array.from(examples, (ex) =>
    target === 'binary' ? (ex.strong - ex.weak > 0 ? 1 : 0) : 0.5 + (ex.strong - ex.weak) / (2 * range),
  );
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

/**
 * Fits an L2-regularised logistic regression over standardised dense features and hashed lexical
 * features, minimising the weighted mean log-loss with L-BFGS. Deterministic for a given seed.
 */
export function trainRouter(examples: readonly LabelledExample[], options: TrainOptions = {}): RouterModel {
  if (examples.length < 2) throw new RangeError('training needs at least two labelled examples');
  const epochs = options.epochs ?? DEFAULT_TRAIN_OPTIONS.epochs;
  const l2 = options.l2 ?? DEFAULT_TRAIN_OPTIONS.l2;
  const seed = options.seed ?? DEFAULT_TRAIN_OPTIONS.seed;
  const target = options.target ?? DEFAULT_TRAIN_OPTIONS.target;
  const config: FeatureConfig = { ...DEFAULT_FEATURE_CONFIG, ...options.features };
  const m = buildMatrix(examples, config);
  const y = targetsOf(examples, target);
  const c = Float64Array.from(examples, (ex) => ex.weight ?? 1);
  const cSum = c.reduce((a, b) => a + b, 0);

  const D = DENSE_COUNT;
  const mean = new Float64Array(D);
  const std = new Float64Array(D);
  for (let r = 0; r < m.rows; r++) for (let j = 0; j < D; j++) mean[j] += m.dense[r * D + j] / m.rows;
  for (let r = 0; r < m.rows; r++)
    for (let j = 0; j < D; j++) std[j] += (m.dense[r * D + j] - mean[j]) ** 2 / m.rows;
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
  const z01 = new Float64Array(m.rows * D);
  for (let r = 0; r < m.rows; r++)
    for (let j = 0; j < D; j++) z01[r * D + j] = (m.dense[r * D + j] - mean[j]) / std[j];

  const H = 1 << config.hashBits;
  const sourceIds = new Map<string, number>();
  const sourceOf = Int32Array.from(examples, (ex) => {
    if (ex.source === undefined) return -1;
    if (!sourceIds.has(ex.source)) sourceIds.set(ex.source, sourceIds.size);
    return sourceIds.get(ex.source) ?? -1;
  });
  const S0 = 1 + D + H;
  // Parameters: [bias, dense weights..., hashed weights..., source intercepts...].
  const x = new Float64Array(S0 + sourceIds.size);
  const rand = seededRandom(seed);
  for (let i = 1; i < x.length; i++) x[i] = (rand() - 0.5) * 1e-3;
  for (let j = 0; j < D; j++) if (constant[j]) x[1 + j] = 0;

  for (let r = 0; r < m.rows; r++) for (let j = 0; j < D; j++) if (constant[j]) z01[r * D + j] = 0;

  const objective = (w: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let r = 0; r < m.rows; r++) {
      let z = w[0];
      const src = sourceOf[r];
      if (src >= 0) z += w[S0 + src];
      const dOff = r * D;
      for (let j = 0; j < D; j++) z += z01[dOff + j] * w[1 + j];
      for (let k = m.rowStart[r]; k < m.rowStart[r + 1]; k++) z += w[1 + D + m.indices[k]] * m.values[k];
      loss += c[r] * (softplus(z) - y[r] * z);
      const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      const e = (c[r] * (p - y[r])) / cSum;
      grad[0] += e;
      if (src >= 0) grad[S0 + src] += e;
      for (let j = 0; j < D; j++) grad[1 + j] += e * z01[dOff + j];
      for (let k = m.rowStart[r]; k < m.rowStart[r + 1]; k++) grad[1 + D + m.indices[k]] += e * m.values[k];
    }
    let penalty = 0;
    for (let i = 1; i < S0; i++) {
      penalty += w[i] * w[i];
      grad[i] += l2 * w[i];
    }
    return loss / cSum + 0.5 * l2 * penalty;
  };
  minimizeLbfgs(objective, x, { maxIterations: epochs });

  // A request from an unknown source gets the example-weighted mean of the source intercepts.
  let bias = x[0];
  for (let r = 0; r < m.rows; r++) if (sourceOf[r] >= 0) bias += (c[r] * x[S0 + sourceOf[r]]) / cSum;
  const hashed = new Float32Array(H);
  for (let i = 0; i < H; i++) hashed[i] = x[1 + D + i];
  const model = routerModelFromJson({
    format: ROUTER_MODEL_FORMAT,
    version: ROUTER_MODEL_VERSION,
    features: { ...config, dense: [...DENSE_FEATURE_NAMES] },
    bias,
    dense: { mean: Array.from(mean), std: Array.from(std), weights: Array.from(x.subarray(1, 1 + D)) },
    hashed: { encoding: 'f32le-base64', weights: encodeWeights(hashed) },
    calibration: { scoreQuantiles: [0, 1] },
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
    },
  });
  return withCalibration(model, examples, options.quantileSteps ?? 100);
}

/** Stores the score quantiles of `examples` so thresholds can be set from a strong-call share. */
export function withCalibration(
  model: RouterModel,
  examples: readonly LabelledExample[],
  steps = 100,
): RouterModel {
  const scores = Float64Array.from(examples, (ex) => scoreRequest(model, ex.input));
  scores.sort();
  return Object.freeze({ ...model, scoreQuantiles: Object.freeze(quantilesOf(scores, steps)) });
}
