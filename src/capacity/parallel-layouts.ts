import { validTensorParallelSizes } from './kv-cache.js';
import type { ModelArchitecture } from './model-catalogue.js';

/**
 * Tensor-parallel sizes the heads allow, then pipeline stages of 2 to 4 on the largest of them:
 * vLLM runs pipeline stages with any tensor-parallel size.
 */
export function layoutsFor(model: ModelArchitecture): Array<{ tp: number; pp: number }> {
  const tpSizes = validTensorParallelSizes(model);
  const layouts = tpSizes.map((tp) => ({ tp, pp: 1 }));
  const widest = tpSizes[tpSizes.length - 1];
  for (const pp of [2, 3, 4])
    if (!layouts.some((l) => l.tp * l.pp === widest * pp)) layouts.push({ tp: widest, pp });
  return layouts;
}
