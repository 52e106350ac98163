import type { Usage } from '../../spec/chat.js';
import type { ResponseUsage } from './responses-types.js';

/** Chat usage in the Responses shape; both count cached tokens inside the input tokens. */
export function toResponseUsage(usage: Usage | null | undefined): ResponseUsage | null {
  if (!usage) return null;
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: usage.total_tokens,
  };
}
