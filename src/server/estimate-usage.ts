import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { countChatInputTokens } from '../cost/chat-text.js';
import type { ChatCompletionRequest } from '../spec/chat.js';

const o200k = { encoding: 'o200k_base' as const, count: (text: string) => countTokens(text) };

/**
 * Counts tokens with a real tokenizer when an upstream reported no usage, framing messages the way
 * the budget estimate and the baseline do. The count is o200k's, not necessarily the serving
 * model's, so records mark it as estimated.
 */
export function estimateUsage(
  request: ChatCompletionRequest,
  outputText: string,
): { inputTokens: number; outputTokens: number } {
  return {
    inputTokens: countChatInputTokens(request, o200k).tokens,
    outputTokens: outputText ? countTokens(outputText) : 0,
  };
}
