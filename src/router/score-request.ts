import { extractFeatures } from './request-features.js';
import type { RouterInput } from './router-input.js';
import type { RouterModel } from './router-model.js';

/** The model's logit for a request whose features are already in `model.scratch`. */
export function scoreScratch(model: RouterModel): number {
  const buf = model.scratch;
  let z = model.bias;
  const dense = buf.dense;
  const dw = model.denseWeights;
  const mean = model.denseMean;
  for (let i = 0; i < dense.length; i++) z += (dense[i] - mean[i]) * dw[i];
  const hw = model.hashedWeights;
  const idx = buf.indices;
  const val = buf.values;
  for (let i = 0; i < buf.count; i++) z += hw[idx[i]] * val[i];
  return z;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * How strongly a request needs the strong model, in [0, 1]: the estimated probability that the weak
 * model's answer is worse (for a `soft`-target model, 0.5 + half the expected quality gap). Higher
 * means send to strong; compare with a threshold from `thresholdForStrongShare` or
 * `thresholdForTargetCost`.
 */
export function scoreRequest(model: RouterModel, input: RouterInput): number {
  extractFeatures(input, model.features, model.scratch);
  return sigmoid(scoreScratch(model));
}
