import type { UsageRow } from './usage-row.js';

/**
 * The most input one request can carry: the largest context windows on sale are 10M tokens (Llama 4
 * Scout); more per request means a column or unit mix-up.
 */
export const MAX_INPUT_TOKENS_PER_REQUEST = 10_000_000;
/** Output limits top out around 128k tokens (GPT-5); 1M per request leaves a wide margin. */
export const MAX_OUTPUT_TOKENS_PER_REQUEST = 1_000_000;

/** Why a parsed row cannot be real usage, or null when it can. */
export function implausibility(row: UsageRow): string | null {
  const parts = row.cachedInputTokens + row.cacheWrite5mTokens + row.cacheWrite1hTokens;
  if (parts > row.inputTokens)
    return `cached and cache-write tokens (${parts}) exceed input tokens (${row.inputTokens})`;
  if (row.requests > 0) {
    const input = row.inputTokens / row.requests;
    const output = row.outputTokens / row.requests;
    if (input > MAX_INPUT_TOKENS_PER_REQUEST)
      return `${Math.round(input)} input tokens per request is more than any context window (${MAX_INPUT_TOKENS_PER_REQUEST})`;
    if (output > MAX_OUTPUT_TOKENS_PER_REQUEST)
      return `${Math.round(output)} output tokens per request is more than any output limit (${MAX_OUTPUT_TOKENS_PER_REQUEST})`;
  }
  return null;
}
