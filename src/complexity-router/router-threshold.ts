import type { RouterModel } from './router-model.js';

/**
 * The score threshold (route to strong when score >= threshold) that would have sent `share` of
 * the training requests to the strong model, interpolated between the stored quantiles.
 */
export function thresholdForStrongShare(model: RouterModel, share: number): number {
  if (!(share >= 0 && share <= 1)) throw new RangeError(`strong share must be between 0 and 1, got ${share}`);
  const q = model.scoreQuantiles;
  // share 0 must route nothing: a threshold just above the highest score seen, capped at 1.
  if (share === 0) return Math.min(1, q[q.length - 1] + 1e-9);
  if (share === 1) return 0;
  const pos = (1 - share) * (q.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(q.length - 1, lo + 1);
  return q[lo] + (q[hi] - q[lo]) * (pos - lo);
}

export interface TargetCost {
  weakUsdPerMTok: number;
  strongUsdPerMTok: number;
  /** The blended price to aim for, between the weak and strong prices. */
  targetUsdPerMTok: number;
}

/** The strong-call share whose blended price meets the target, assuming similar token counts. */
export function strongShareForTargetCost(cost: TargetCost): number {
  const { weakUsdPerMTok: weak, strongUsdPerMTok: strong, targetUsdPerMTok: target } = cost;
  for (const [k, v] of Object.entries(cost))
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`${k} must be a non-negative number, got ${v}`);
  if (strong <= weak) return 1;
  return Math.min(1, Math.max(0, (target - weak) / (strong - weak)));
}

/** The threshold whose expected blended price per million tokens is the target price. */
export function thresholdForTargetCost(model: RouterModel, cost: TargetCost): number {
  return thresholdForStrongShare(model, strongShareForTargetCost(cost));
}
