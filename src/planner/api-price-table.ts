import { BUILTIN_PRICES } from '../cost/builtin-prices.js';
import { PriceIndex } from '../cost/price-index.js';
import type { TokenPricing } from './monthly-cost.js';

/** A list price from the built-in price catalogue, in the planner's terms, with where it was read. */
export interface ApiPrice extends TokenPricing {
  model: string;
  provider: string;
  source: string;
  checked: string;
}

let index: PriceIndex | undefined;

/**
 * The catalogue price of a model (`gpt-4o-2024-08-06`, `together/llama-3.3-70b`). Undefined when the
 * catalogue has none, or when several providers sell it and no provider prefix says which.
 */
export function findApiPrice(model: string, provider?: string): ApiPrice | undefined {
  index ??= new PriceIndex(BUILTIN_PRICES);
  const hit = index.lookup(model, provider);
  if (!hit || !('entry' in hit)) return undefined;
  const e = hit.entry;
  if (e.inputPerMillionUsd === undefined || e.outputPerMillionUsd === undefined) return undefined;
  return {
    model: e.model,
    provider: e.provider,
    usdPerMillionInput: e.inputPerMillionUsd,
    usdPerMillionOutput: e.outputPerMillionUsd,
    ...(e.cachedInputPerMillionUsd !== undefined
      ? { usdPerMillionCachedInput: e.cachedInputPerMillionUsd }
      : {}),
    source: e.source,
    checked: e.retrieved,
  };
}
