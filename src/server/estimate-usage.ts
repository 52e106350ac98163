import { countChatInputTokens } from '../cost/chat-text.js';
import { tokenCounter } from '../cost/token-counter.js';
import type { ChatCompletionRequest } from '../spec/chat.js';

/**
 * Counts tokens with a real tokenizer when an upstream reported no usage, framing messages the way
 * the budget estimate and the baseline do. The count is o200k's, not necessarily the serving
 * model's, so records mark it as estimated.
 */
export function estimateUsage(
  request: ChatCompletionRequest,
  outputText: string,
): { inputTokens: number; outputTokens: number } {
  const o200k = tokenCounter('o200k_base');
  return {
    inputTokens: countChatInputTokens(request, o200k).tokens,
    outputTokens: outputText ? o200k.count(outputText) : 0,
  };
}
