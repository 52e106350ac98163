import type { ModelArchitecture } from './model-catalogue.js';

/**
 * Parameters (billions) in routed experts. Every token uses the shared part S (attention,
 * embeddings, dense layers, shared experts) and k of the E routed experts of each MoE layer, so
 * total = S + R and active = S + (k ÷ E) × R, which gives R = (total − active) ÷ (1 − k ÷ E).
 */
export function routedExpertParamsB(model: ModelArchitecture): number {
  if (!model.experts) return 0;
  const chosenShare = model.experts.activePerToken / model.experts.total;
  return (model.totalParamsB - model.activeParamsB) / (1 - chosenShare);
}

/**
 * Expected share of a layer's routed experts that `tokens` tokens touch when each picks k of E
 * experts uniformly: an expert is missed by one token with probability 1 − k ÷ E, by all of them
 * with (1 − k ÷ E)^tokens. At batch 64, top-8-of-256 routing touches 87% of DeepSeek V3's experts,
 * so a decode step reads most of the model, not just the active parameters. Real routers are not
 * uniform; skew touches fewer experts, which this bound does not credit.
 */
export function expertCoverage(model: ModelArchitecture, tokens: number): number {
  if (!model.experts) return 1;
  const missOne = 1 - model.experts.activePerToken / model.experts.total;
  return 1 - Math.pow(missOne, Math.max(tokens, 0));
}

/** Parameters (billions) a forward pass over `tokens` tokens reads: the shared part and the touched experts. */
export function paramsTouchedB(model: ModelArchitecture, tokens: number): number {
  if (!model.experts) return model.totalParamsB;
  const routed = routedExpertParamsB(model);
  return model.totalParamsB - routed + routed * expertCoverage(model, tokens);
}
