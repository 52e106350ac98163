import type { FinishReason, Usage } from '../../spec/chat.js';
import type { AnthropicStopReason, AnthropicUsage } from './anthropic-types.js';

export interface AnthropicEnding {
  stop_reason: AnthropicStopReason;
  stop_sequence: string | null;
}

/**
 * A chat finish reason as Anthropic's stop reason. OpenAI's `stop` covers both a natural end and a
 * matched stop string; the two are told apart only when the upstream says which string matched
 * (vLLM and SGLang put it in the choice's non-standard `stop_reason`).
 */
export function toAnthropicEnding(
  finishReason: FinishReason | null,
  matchedStop: unknown,
  stopSequences: readonly string[] | undefined,
): AnthropicEnding {
  switch (finishReason) {
    case 'length':
      return { stop_reason: 'max_tokens', stop_sequence: null };
    case 'tool_calls':
    case 'function_call':
      return { stop_reason: 'tool_use', stop_sequence: null };
    case 'content_filter':
      return { stop_reason: 'refusal', stop_sequence: null };
    default:
      if (typeof matchedStop === 'string' && stopSequences?.includes(matchedStop))
        return { stop_reason: 'stop_sequence', stop_sequence: matchedStop };
      return { stop_reason: 'end_turn', stop_sequence: null };
  }
}

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

/**
 * Tool arguments as the object Anthropic's `input` must be. Arguments that are not a JSON object
 * (a model that produced broken JSON) are kept verbatim under `arguments` rather than lost.
 */
export function parseToolInput(argumentsText: string): Record<string, unknown> {
  if (argumentsText.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(argumentsText);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through to the verbatim form
  }
  return { arguments: argumentsText };
}
