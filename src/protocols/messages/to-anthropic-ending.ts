import type { FinishReason } from '../../spec/chat.js';
import type { AnthropicStopReason } from '../../anthropic-api/messages-api.js';

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
