import type { Usage } from '../../spec/chat.js';
import type { AnthropicUsage } from '../../anthropic-api/messages-api.js';

/**
 * Chat usage in Anthropic's terms. OpenAI counts cached prompt tokens inside `prompt_tokens`;
 * Anthropic's `input_tokens` are only the uncached ones, with cache reads reported beside them.
 */
export function toAnthropicUsage(usage: Usage | null | undefined): AnthropicUsage {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}
