import { extractFeatures } from './request-features.js';
import type { RouterInput } from './router-input.js';
import type { RouterModel } from './router-model.js';

/** The model's raw logit for a request whose features are already in `model.scratch`. */
export function scoreScratch(model: RouterModel): number {
  const buf = model.scratch;
  let z = model.bias;
  const dense = buf.dense;
  const dw = buf.multipleChoice ? model.choiceDenseWeights : model.denseWeights;
  const mean = model.denseMean;
  const index = model.denseIndex;
  for (let i = 0; i < index.length; i++) z += (dense[index[i]] - mean[i]) * dw[i];
  const hw = model.hashedWeights;
  const idx = buf.indices;
  const val = buf.values;
  for (let i = 0; i < buf.count; i++) z += hw[idx[i]] * val[i];
  return z;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Share of the score range left to each tail beyond the outermost reference logits. */
const TAIL = 0.01;

/**
 * Maps a raw logit to its calibrated score: its position among the reference requests' logits
 * (linear between the stored quantile knots), squeezed into [TAIL, 1 − TAIL], with tails that
 * keep ranking requests beyond the extremes seen in training while staying inside (0, 1).
 */
export function calibrateLogit(knots: Float64Array, z: number): number {
  const last = knots.length - 1;
  const span = 1 - 2 * TAIL;
  // The tails decay over one knot interval on average, so they stay comparable to the body.
  const width = Math.max(1e-9, (knots[last] - knots[0]) / last);
  if (z <= knots[0]) return TAIL * Math.exp((z - knots[0]) / width);
  if (z >= knots[last]) return 1 - TAIL * Math.exp((knots[last] - z) / width);
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (knots[mid] <= z) lo = mid;
    else hi = mid;
  }
  const gap = knots[hi] - knots[lo];
  const within = gap > 0 ? (z - knots[lo]) / gap : 0.5;
  return TAIL + span * ((lo + within) / last);
}

/**
 * How strongly a request needs the strong model, in [0, 1], higher meaning more complex: the
 * model's estimate, calibrated against the reference requests it was trained on so that scores
 * spread over the whole range (0.8 reads as "needs the strong model more than 80% of the reference
 * requests do"). Compare with a threshold from `thresholdForStrongShare` or `thresholdForTargetCost`.
 */
export function scoreRequest(model: RouterModel, input: RouterInput): number {
  extractFeatures(input, model.features, model.scratch);
  return calibrateLogit(model.logitKnots, scoreScratch(model));
}
