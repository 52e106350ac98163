import type { ChatCompletionRequest } from '../spec/chat.js';
import type { TokenPrices } from '../spec/deployment.js';
import { countChatInputTokens } from './chat-text.js';
import type { TokenCounter } from './token-counter.js';

export interface RequestEstimate {
  inputTokens: number;
  maxOutputTokens: number;
  /** Null when the price is unknown: budgets then reserve nothing for it and say so. */
  costUsd: number | null;
}

/**
 * The most a request can cost before it is sent: its counted input at the input price plus its
 * output limit (`max_completion_tokens`, `max_tokens`, or the configured default) at the output
 * price. Budgets reserve this, so in-flight requests can overspend by no more than their estimates.
 */
export function estimateRequestCost(
  request: ChatCompletionRequest,
  prices: TokenPrices | undefined,
  counter: TokenCounter,
  defaultMaxTokens: number,
): RequestEstimate {
  const inputTokens = countChatInputTokens(request, counter).tokens;
  const maxOutputTokens = request.max_completion_tokens ?? request.max_tokens ?? defaultMaxTokens;
  if (prices?.inputPerMillionUsd === undefined || prices.outputPerMillionUsd === undefined)
    return { inputTokens, maxOutputTokens, costUsd: null };
  const outputRate = Math.max(prices.outputPerMillionUsd, prices.reasoningPerMillionUsd ?? 0);
  return {
    inputTokens,
    maxOutputTokens,
    costUsd: (inputTokens * prices.inputPerMillionUsd + maxOutputTokens * outputRate) / 1_000_000,
  };
}
