import type { TokenPrices } from '../spec/deployment.js';

export interface TokenUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  /** Part of inputTokens read from the provider's prompt cache. */
  cachedTokens?: number | null;
  /** Part of outputTokens spent on hidden reasoning. */
  reasoningTokens?: number | null;
}

export interface CostBreakdown {
  uncachedInputUsd: number;
  cachedInputUsd: number;
  /** Visible output, or all output when no separate reasoning rate is set. */
  outputUsd: number;
  reasoningUsd: number;
}

export interface PricedUsage {
  costUsd: number | null;
  breakdown: CostBreakdown | null;
  warning?: string;
}

const PER_MILLION = 1_000_000;

/**
 * Cost of one request under OpenAI's usage semantics: `cachedTokens` are a subset of `inputTokens`
 * billed at the cached rate, `reasoningTokens` a subset of `outputTokens` billed at the output rate
 * unless a reasoning rate is set. A missing price or missing usage gives null, never 0: a free
 * request that was not free inverts every savings comparison.
 */
export function priceUsage(usage: TokenUsage, prices: TokenPrices | undefined): PricedUsage {
  if (!prices || prices.inputPerMillionUsd === undefined || prices.outputPerMillionUsd === undefined) {
    return { costUsd: null, breakdown: null, warning: 'no input and output price known for this model' };
  }
  if (usage.inputTokens === null || usage.outputTokens === null) {
    return { costUsd: null, breakdown: null, warning: 'the upstream reported no token usage' };
  }
  const input = Math.max(0, usage.inputTokens);
  const output = Math.max(0, usage.outputTokens);
  const cached = Math.min(Math.max(0, usage.cachedTokens ?? 0), input);
  const reasoning = Math.min(Math.max(0, usage.reasoningTokens ?? 0), output);
  const cachedRate = prices.cachedInputPerMillionUsd ?? prices.inputPerMillionUsd;
  const reasoningRate = prices.reasoningPerMillionUsd;

  const breakdown: CostBreakdown = {
    uncachedInputUsd: ((input - cached) * prices.inputPerMillionUsd) / PER_MILLION,
    cachedInputUsd: (cached * cachedRate) / PER_MILLION,
    outputUsd:
      ((reasoningRate === undefined ? output : output - reasoning) * prices.outputPerMillionUsd) /
      PER_MILLION,
    reasoningUsd: reasoningRate === undefined ? 0 : (reasoning * reasoningRate) / PER_MILLION,
  };
  const costUsd =
    breakdown.uncachedInputUsd + breakdown.cachedInputUsd + breakdown.outputUsd + breakdown.reasoningUsd;
  const result: PricedUsage = { costUsd, breakdown };
  if (cached > 0 && prices.cachedInputPerMillionUsd === undefined)
    result.warning = 'no cached-input price known; cached tokens billed at the input rate';
  return result;
}
